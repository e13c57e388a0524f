// The ONNX operator schemas of the default domain, every version of every op, as ONNX itself defines them:
// op-schemas.json is dumped from the onnx package by scripts/op-schemas.py (`npm run op-schemas`), never
// written by hand. The table knows opsets up to its `maxOpset` (onnx 1.12: 17); for a newer opset an op's
// schema may have changed since, so the verifier trusts the table only up to there.
import { readFileSync } from 'node:fs';
import { AttributeProto_AttributeType as A } from 'onnx-buf';

/** One formal input: its type parameter (`T`; '' for a fixed type), the dtypes it accepts as a bit mask
 * (bit k: dtype k; 0 when not checked) and whether it is single, optional, variadic (all of one type) or
 * variadic of mixed types (Loop's and Scan's state values). */
export interface Formal { param: string; mask: number; option: 'single' | 'optional' | 'variadic' | 'mixed' }
export interface AttrSchema { type: A; required: boolean }

export interface OpSchema {
  op: string;
  since: number;
  deprecated: boolean;
  /** `only`: the counts allowed within min..max, where not all are (BatchNormalization: 1 or 5 outputs). */
  inputs: { min: number; max: number; only?: readonly number[] };
  outputs: { min: number; max: number; only?: readonly number[] };
  attrs: ReadonlyMap<string, AttrSchema>;
  formals: readonly Formal[];
}

type RawVersion = [number, 0 | 1, [number, number | null], [number, number | null], Record<string, string>, [string, number, 0 | 1 | 2 | 3][], { i?: number[]; o?: number[] }?];
interface RawTable { onnx: string; maxOpset: number; dtypes: string[]; ops: Record<string, RawVersion[]> }

const ATTR_TYPES: Record<string, A> = {
  f: A.FLOAT, i: A.INT, s: A.STRING, t: A.TENSOR, g: A.GRAPH, p: A.SPARSE_TENSOR, y: A.TYPE_PROTO,
  F: A.FLOATS, I: A.INTS, S: A.STRINGS, T: A.TENSORS, G: A.GRAPHS, P: A.SPARSE_TENSORS, Y: A.TYPE_PROTOS,
};
const OPTIONS = ['single', 'optional', 'variadic', 'mixed'] as const;
const count = (n: number | null): number => n ?? Infinity;

function version(op: string, [since, deprecated, ins, outs, attrs, formals, only]: RawVersion): OpSchema {
  return {
    op, since, deprecated: deprecated === 1,
    inputs: { min: ins[0], max: count(ins[1]), only: only?.i }, outputs: { min: outs[0], max: count(outs[1]), only: only?.o },
    attrs: new Map(Object.entries(attrs).map(([name, code]) => [name, { type: ATTR_TYPES[code.replace('!', '')]!, required: code.startsWith('!') }])),
    formals: formals.map(([param, mask, option]) => ({ param, mask, option: OPTIONS[option] })),
  };
}

let table: { maxOpset: number; onnx: string; ops: Map<string, OpSchema[]> } | undefined;

/** Read on first use: only commands that verify a model need it. */
function load(): NonNullable<typeof table> {
  if (table) return table;
  const raw = JSON.parse(readFileSync(new URL('./op-schemas.json', import.meta.url), 'utf8')) as RawTable;
  const ops = new Map(Object.entries(raw.ops).map(([op, versions]) => [op, versions.map((v) => version(op, v))]));
  return (table = { maxOpset: raw.maxOpset, onnx: raw.onnx, ops });
}

/** The newest opset the table describes, and the onnx release it was dumped from. */
export const schemaOrigin = (): { maxOpset: number; onnx: string } => ({ maxOpset: load().maxOpset, onnx: load().onnx });

/** Every version of `op` in the default domain, oldest first; undefined when ONNX (as of the table) has no such op. */
export const opVersions = (op: string): readonly OpSchema[] | undefined => load().ops.get(op);

/** The version of `op` in force at `opset`: the newest whose since-version is at most `opset`. */
export function schemaAt(op: string, opset: number): OpSchema | undefined {
  const versions = opVersions(op);
  return versions && [...versions].reverse().find((v) => v.since <= opset);
}

/** The attribute type's name as ONNX spells it (`INTS`). */
export const attrTypeName = (t: A): string => A[t] ?? String(t);

/** The op types of the default domain, sorted (completion after `op` in a selector). */
export const opNames = (): string[] => [...load().ops.keys()].sort();
