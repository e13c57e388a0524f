// A device toolchain's operator table (targets/ops/NAME.yaml, schema targets/ops/ops.schema.json), and the
// check of a graph against it: op by op, attribute by attribute, constant input by constant input. What an
// op missing from the table means is the target's choice (`ops.unlisted`): refused, or run on the CPU.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AttributeProto_AttributeType as T, type NodeProto } from 'onnx-buf';
import { parseDocument } from 'yaml';
import type { ValidateFunction } from 'ajv';
import type { Graph } from '../onnx/graph.ts';
import { newAjv } from '../util/ajv.ts';
import { TargetError, targetsDir } from './load.ts';
import type { Target } from './target.ts';

export interface AttributeRule { values: (string | number)[]; default?: string | number; alternative?: string }
export interface OpRule {
  supported?: boolean;
  alternative?: string;
  constant_inputs?: number[];
  min_inputs?: number;
  attributes?: Record<string, AttributeRule>;
  notes?: string;
}
export interface OpTable { name: string; source: string; notes?: string; ops: Record<string, OpRule | null> }

/** One node the toolchain will not take as is. `fallback`: it runs, but on the CPU; otherwise it is refused. */
export interface OpFinding { node: string; op: string; problem: string; alternative?: string; fallback: boolean }

const opsDir = (): string => join(targetsDir(), 'ops');
const tables = new Map<string, OpTable>();
let validate: ValidateFunction<OpTable> | undefined;

/** The target's operator table, or undefined when its profile names none. */
export function opTableOf(target: Target): OpTable | undefined {
  return target.ops ? loadOpTable(target.ops.table) : undefined;
}

export function loadOpTable(file: string): OpTable {
  const cached = tables.get(file);
  if (cached) return cached;
  const shown = `targets/ops/${file}`;
  let data: unknown;
  try {
    const doc = parseDocument(readFileSync(join(opsDir(), file), 'utf8'));
    if (doc.errors.length) throw new Error(doc.errors[0]!.message.split('\n')[0]);
    data = doc.toJS();
  } catch (err) {
    throw new TargetError(`${shown}: cannot read the operator table: ${err instanceof Error ? err.message : String(err)}`);
  }
  validate ??= newAjv({ allErrors: true, strict: true, allowUnionTypes: true }).compile<OpTable>(JSON.parse(readFileSync(join(opsDir(), 'ops.schema.json'), 'utf8')) as object);
  if (!validate(data)) {
    const lines = (validate.errors ?? []).map((e) => `${shown}: ${e.instancePath || '(top level)'} ${e.message ?? 'is invalid'}`);
    throw new TargetError(lines.join('\n'), lines);
  }
  tables.set(file, data);
  return data;
}

function attributeValue(n: NodeProto, name: string): string | number | undefined {
  const a = n.attribute.find((x) => x.name === name);
  if (!a) return undefined;
  return a.type === T.STRING ? new TextDecoder().decode(a.s) : a.type === T.INT ? Number(a.i) : undefined;
}

// TensorRT's explicit quantization reads weights through DequantizeLinear (of a constant): still constant.
const THROUGH = new Set(['DequantizeLinear', 'QuantizeLinear']);
function isConstant(g: Graph, value: string): boolean {
  const p = g.producer(value);
  return g.initializers.has(value) || p?.opType === 'Constant' || (!!p && THROUGH.has(p.opType) && isConstant(g, p.input[0]!));
}

// Each check looks at one aspect of a node against its rule and returns the problems, in words.
const CHECKS: ((n: NodeProto, rule: OpRule, g: Graph) => { problem: string; alternative?: string }[])[] = [
  (n, rule) => (rule.min_inputs !== undefined && n.input.filter(Boolean).length < rule.min_inputs
    ? [{ problem: `needs all ${rule.min_inputs} inputs (it has ${n.input.filter(Boolean).length})` }] : []),
  (n, rule, g) => (rule.constant_inputs ?? []).filter((i) => n.input[i] && !isConstant(g, n.input[i]!))
    .map((i) => ({ problem: `input ${i} ('${n.input[i]}') must be a constant (an initializer)`, alternative: 'fold it into a constant (lithe run prepares models so; fix the input size with `input N`)' })),
  (n, rule) => Object.entries(rule.attributes ?? {}).flatMap(([name, a]) => {
    const v = attributeValue(n, name) ?? a.default;
    return v === undefined || a.values.includes(v) ? []
      : [{ problem: `${name} '${v}' is not supported (supported: ${a.values.join(', ')})`, alternative: a.alternative }];
  }),
];

/** Every node of `g` the target's toolchain refuses or moves to the CPU, in graph order. */
export function checkOps(g: Graph, table: OpTable, unlisted: 'error' | 'cpu'): OpFinding[] {
  const out: OpFinding[] = [];
  for (const n of g.nodes) {
    const found = Object.hasOwn(table.ops, n.opType);
    const rule = table.ops[n.opType] ?? {};
    const at = { node: n.name || n.output[0] || n.opType, op: n.opType, fallback: unlisted === 'cpu' };
    if (!found || rule.supported === false) {
      out.push({ ...at, problem: at.fallback ? `${table.name} does not run ${n.opType}: it falls back to the CPU` : `${n.opType} is not supported by ${table.name}`, alternative: rule.alternative });
      continue;
    }
    for (const check of CHECKS) for (const p of check(n, rule, g)) out.push({ ...at, ...p });
  }
  return out;
}

/** A finding as one line: `node 'x' (Resize): mode 'cubic' is not supported (...); use mode linear`. */
export const describeFinding = (f: OpFinding): string =>
  `node '${f.node}' (${f.op}): ${f.problem}${f.alternative ? `; instead: ${f.alternative}` : ''}`;
