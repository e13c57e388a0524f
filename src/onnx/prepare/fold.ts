// Constant folding: every node whose outputs are known before run time becomes initializers — shape arithmetic
// (Shape → Gather → Unsqueeze → Concat → Reshape, as PyTorch writes `x.view(x.size(0), ...)`), Casts of
// constants, arithmetic on initializers — and Identity nodes of constants go. A Shape reads the inferred shape of its input,
// so the chains fold once the input size is fixed (the input step runs first). A dimension that stays symbolic
// (the batch) leaves its chain in place, except where it ends in a Reshape that keeps that very dimension at
// the same position: there the target becomes a constant with 0 ("copy the input's"), as ONNX allows.
//
// Why TypeScript and not onnxruntime: preparation is synchronous (lithe info, check and run share it, and
// onnxruntime-node only runs asynchronously), the ops involved are a handful of exact integer and IEEE
// operations (fold-ops.ts), and partial knowledge — a shape with a symbolic batch — is something a session
// cannot evaluate at all.
import type { NodeProto } from 'onnx-buf';
import { TensorProto_DataType as DT } from 'onnx-buf';
import { Attrs } from '../attrs.ts';
import { Graph } from '../graph.ts';
import { defaultOpset } from '../io.ts';
import { DEFAULT_OPSET } from '../make.ts';
import { inferShapes } from '../shape/infer.ts';
import type { Dim } from '../shape/types.ts';
import { FOLD_OPS, fromTensor, toTensor, type Value } from './fold/ops.ts';
import type { PrepareStep } from './types.ts';

/** Rounds of identity removal, folding and Reshape targets: each can expose work for the next. */
const MAX_ROUNDS = 8;
/** A folded value may grow past its inputs (ConstantOfShape, Expand) only up to this many elements. */
const MAX_GROWN = 1 << 20;

interface Tally { folded: Map<string, number>; made: number; identities: number; reshapes: number; dead: number }

const isDefault = (n: NodeProto): boolean => n.domain === '' || n.domain === 'ai.onnx';

/** Values the bodies of If, Loop and Scan nodes read from the graph around them: they are read, though no
 *  top-level node lists them. */
function subgraphReads(nodes: readonly NodeProto[], into = new Set<string>()): Set<string> {
  for (const n of nodes) {
    for (const a of n.attribute) {
      for (const sub of a.g ? [a.g, ...a.graphs] : a.graphs) {
        for (const m of sub.node) for (const i of m.input) if (i) into.add(i);
        subgraphReads(sub.node, into);
      }
    }
  }
  return into;
}
const fullyKnown = (v: Value | undefined): v is Value => !!v && !v.sym?.size;

/** Removes Identity nodes of initializers (not those that make a graph output): their readers read the
 *  initializer, with no copy of it. Identities of activations stay (darknet imports name layers with them). */
function removeIdentities(g: Graph, t: Tally, outer: Set<string>, constant: (v: string) => boolean): number {
  const ids = g.nodes.filter((n) => n.opType === 'Identity' && isDefault(n) && n.input.length === 1 && constant(n.input[0] ?? '') && !g.isGraphOutput(n.output[0]!) && !outer.has(n.output[0]!));
  for (const n of ids) {
    g.remove(n);
    g.valueInfo.delete(n.output[0]!);
    g.rewire(n.output[0]!, n.input[0]!);
  }
  t.identities += ids.length;
  return ids.length;
}

/** The value of a Shape node: its input's inferred shape, symbolic dimensions carried by name. */
function shapeValue(n: NodeProto, shape: Dim[] | undefined): Value | undefined {
  if (!shape) return undefined;
  const a = new Attrs(n);
  const rank = shape.length;
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  const dims = shape.slice(clamp(a.int('start', 0)), clamp(a.int('end', rank)));
  const sym = new Map<number, string>();
  dims.forEach((d, k) => { if (typeof d === 'string') sym.set(k, d); });
  return { type: DT.INT64, dims: [dims.length], data: Float64Array.from(dims, (d) => (typeof d === 'number' ? d : 0)), ...(sym.size ? { sym } : {}) };
}

/** Evaluates what can be evaluated; returns the values of the nodes' outputs (partly known ones included). */
function evaluate(g: Graph, opset: number, constant: (v: string) => boolean): { values: Map<string, Value>; types: ReturnType<typeof inferShapes>['types'] } {
  const { types } = inferShapes(g, opset);
  const values = new Map<string, Value>();
  const cached = new Map<string, Value | undefined>();
  const input = (name: string): Value | undefined => {
    if (values.has(name)) return values.get(name);
    if (!cached.has(name)) { const t = g.initializers.get(name); cached.set(name, t && fromTensor(t)); }
    return cached.get(name);
  };
  const available = (name: string) => values.has(name) || constant(name);
  for (const n of g.topologicalOrder()) {
    if (!isDefault(n)) continue;
    if (n.opType === 'Shape') {
      const v = n.input[0] ? shapeValue(n, types.get(n.input[0])?.shape) : undefined;
      if (v && n.output[0]) values.set(n.output[0], v);
      continue;
    }
    const op = FOLD_OPS[n.opType];
    if (!op || n.input.some((i) => i && !available(i))) continue;
    let outs: Value[] | undefined;
    try {
      outs = op(n.input.map((i) => (i ? input(i) : undefined)), { attrs: new Attrs(n), opset, node: n });
    } catch {
      continue; // an input this evaluator does not follow (a type, a shape): the node stays, onnxruntime runs it
    }
    outs?.forEach((v, k) => { if (n.output[k]) values.set(n.output[k]!, v); });
  }
  return { values, types };
}

/** A node folds when each output is known, is no graph output, and has not grown past its inputs. */
function foldable(g: Graph, n: NodeProto, values: Map<string, Value>): boolean {
  if (!n.output.length || n.output.some((o) => !o || !fullyKnown(values.get(o)) || g.isGraphOutput(o))) return false;
  const inputs = n.input.reduce((a, i) => a + (values.get(i)?.data.length ?? 0) + Number(g.initializers.get(i)?.dims.reduce((x, d) => x * d, 1n) ?? 0n), 0);
  return n.output.every((o) => values.get(o)!.data.length <= Math.max(inputs, MAX_GROWN));
}

function foldRound(g: Graph, opset: number, t: Tally, touched: Set<string>, outer: Set<string>, constant: (v: string) => boolean): number {
  const { values, types } = evaluate(g, opset, constant);
  const folded = new Set(g.nodes.filter((n) => isDefault(n) && (FOLD_OPS[n.opType] || n.opType === 'Shape') && foldable(g, n, values)));
  for (const n of folded) {
    for (const o of n.output) {
      // only values something outside the folded set reads become initializers
      if (!outer.has(o) && !g.consumers(o).some((c) => !folded.has(c))) continue;
      g.initializers.set(o, toTensor(o, values.get(o)!));
      t.made++;
    }
    for (const i of n.input) if (i) touched.add(i);
    t.folded.set(n.opType, (t.folded.get(n.opType) ?? 0) + 1);
  }
  for (const n of folded) g.remove(n);
  return folded.size + staticReshapes(g, values, types, t);
}

/** A Reshape whose target is known but for dimensions it keeps from its input in place: a constant with 0s. */
function staticReshapes(g: Graph, values: Map<string, Value>, types: Map<string, { shape?: Dim[] }>, t: Tally): number {
  let count = 0;
  for (const n of g.nodes) {
    const target = n.opType === 'Reshape' && isDefault(n) && n.input[1] && !g.initializers.has(n.input[1]) ? values.get(n.input[1]) : undefined;
    const x = types.get(n.input[0] ?? '')?.shape;
    if (!target?.sym?.size || !x || new Attrs(n).int('allowzero', 0) === 1) continue;
    const keeps = [...target.sym].every(([k, s]) => s !== '?' && x[k] === s);
    if (!keeps) continue;
    const data = target.data.map((v, k) => (target.sym!.has(k) ? 0 : v));
    const name = g.freshName(`${n.input[1]}_static`);
    g.initializers.set(name, toTensor(name, { type: target.type, dims: target.dims, data }));
    n.input[1] = name;
    g.touched();
    count++;
  }
  t.reshapes += count;
  return count;
}

/** Removes nodes none of whose outputs is read or is a graph output, until none is left. */
function removeDead(g: Graph, touched: Set<string>, outer: Set<string>): number {
  let removed = 0;
  for (;;) {
    const dead = g.nodes.filter((n) => n.output.every((o) => !o || (!g.consumers(o).length && !g.isGraphOutput(o) && !outer.has(o))));
    if (!dead.length) return removed;
    for (const n of dead) { g.remove(n); for (const i of n.input) if (i) touched.add(i); }
    removed += dead.length;
  }
}

/** Initializers that folding left unread (and their graph input entries, in IR 3 models). */
function dropUnread(g: Graph, touched: Set<string>, outer: Set<string>): void {
  for (const name of touched) {
    if (!g.initializers.has(name) || g.consumers(name).length || g.isGraphOutput(name) || outer.has(name)) continue;
    g.initializers.delete(name);
    const k = g.inputs.findIndex((i) => i.name === name);
    if (k >= 0) g.inputs.splice(k, 1);
  }
}

function notes(t: Tally): string[] {
  const out: string[] = [];
  const total = [...t.folded.values()].reduce((a, b) => a + b, 0);
  if (total) out.push(`${total} nodes computed in advance (${[...t.folded].sort((a, b) => b[1] - a[1]).map(([op, k]) => `${op} ${k}`).join(', ')}): ${t.made} initializers in their place`);
  if (t.reshapes) out.push(`${t.reshapes} Reshape target${t.reshapes > 1 ? 's' : ''} made constant (0 keeps the input's symbolic dimension)`);
  if (t.identities) out.push(`${t.identities} Identity node${t.identities > 1 ? 's' : ''} removed`);
  if (t.dead) out.push(`${t.dead} node${t.dead > 1 ? 's' : ''} whose results nothing read removed`);
  return out;
}

export const fold: PrepareStep = {
  id: 'fold',
  summary: 'constant subgraphs computed in advance (shape arithmetic on a fixed input size, Casts, arithmetic on initializers); Identity nodes of constants removed',
  run(model) {
    const opset = defaultOpset(model) ?? DEFAULT_OPSET;
    const g = Graph.fromModel(model);
    const t: Tally = { folded: new Map(), made: 0, identities: 0, reshapes: 0, dead: 0 };
    const touched = new Set<string>();
    const outer = subgraphReads(g.nodes);
    // from IR 4 on, an initializer that is also a graph input is a default the caller may override: not a constant
    const inputs = new Set(Number(model.irVersion) >= 4 ? g.inputs.map((i) => i.name) : []);
    const constant = (v: string) => g.initializers.has(v) && !inputs.has(v);
    try {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        if (!(removeIdentities(g, t, outer, constant) + foldRound(g, opset, t, touched, outer, constant))) break;
      }
    } catch (e) {
      if ((e as Error).name === 'GraphError') return { model, notes: [] }; // a cycle: the verifier names it
      throw e;
    }
    t.dead = removeDead(g, touched, outer);
    const lines = notes(t);
    if (!lines.length) return { model, notes: [] };
    dropUnread(g, touched, outer);
    g.sort();
    return { model: g.toModel(model), notes: lines };
  },
};
