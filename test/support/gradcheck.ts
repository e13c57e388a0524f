// Gradient checks against the float64 reference: a forward graph ending in a scalar loss, run once by run64,
// then differentiated by central differences one element at a time. Each perturbed run recomputes only the
// nodes downstream of the perturbed value (the rest is fed from the first run), so checking a late layer of a
// zoo model costs a fraction of a forward pass.
import { create } from '@bufbuild/protobuf';
import { GraphProtoSchema, ModelProtoSchema, NodeProtoSchema, type ModelProto, type NodeProto, type TensorProto } from 'onnx-buf';
import { tensor } from '../../src/onnx/make.ts';
import { centralDifference } from './ref64/fd.ts';
import { run64, type T64 } from './ref64/run.ts';

/** The nodes `targets` are computed from, in their original (topological) order. */
export function cone(nodes: readonly NodeProto[], targets: readonly string[]): NodeProto[] {
  const needed = new Set(targets);
  const keep: NodeProto[] = [];
  for (let k = nodes.length - 1; k >= 0; k--) {
    const n = nodes[k]!;
    if (!n.output.some((o) => o && needed.has(o))) continue;
    keep.push(n);
    for (const i of n.input) if (i) needed.add(i);
  }
  return keep.reverse();
}

/** The nodes that read `from`, directly or not, in order. */
export function downstream(nodes: readonly NodeProto[], from: readonly string[]): NodeProto[] {
  const live = new Set(from);
  return nodes.filter((n) => {
    if (!n.input.some((i) => live.has(i))) return false;
    for (const o of n.output) if (o) live.add(o);
    return true;
  });
}

const modelOf = (nodes: NodeProto[], initializer: TensorProto[]): ModelProto =>
  create(ModelProtoSchema, { graph: create(GraphProtoSchema, { node: nodes, initializer }) });

/** A float64 tensor of float32 values (what onnxruntime is fed). */
export const from32 = (dims: readonly number[], data: ArrayLike<number>): T64 => ({ dims: [...dims], data: Float64Array.from(data) });

/** The scalar `loss` of a model in float64, and its central differences with respect to any fed value or
 * initializer. Nodes the loss does not depend on (a training graph's backward half) are left out. */
export class Reference64 {
  /** Every value of the first run, by name. */
  readonly values: Map<string, T64>;
  private readonly nodes: NodeProto[];
  private readonly fed: Record<string, T64>;
  private readonly partial = new Map<string, ModelProto>();

  constructor(model: ModelProto, feeds: Record<string, T64>, readonly loss: string) {
    this.nodes = cone(model.graph!.node, [loss]);
    this.values = run64(modelOf(this.nodes, model.graph!.initializer), feeds);
    // later runs are fed every value (initializers too, so none is converted again); the perturbed value's
    // data is shared with `values`, so perturbing it in place reaches the nodes that read it
    this.fed = Object.fromEntries(this.values);
  }

  get value(): number { return this.values.get(this.loss)!.data[0]!; }

  /** d loss / d name[i] for each i in `indices`. */
  gradient(name: string, indices: readonly number[], eps = 1e-6): Float64Array {
    const t = this.values.get(name);
    if (!t) throw new Error(`Reference64: no value '${name}'`);
    let m = this.partial.get(name);
    if (!m) this.partial.set(name, (m = modelOf(downstream(this.nodes, [name]), [])));
    const sub = m;
    return centralDifference(() => run64(sub, this.fed).get(this.loss)!.data[0]!, t.data, [...indices], eps);
  }
}

/** `count` distinct indices below `n`, from `rng`, sorted. */
export function sample(n: number, count: number, rng: () => number): number[] {
  if (count >= n) return Array.from({ length: n }, (_, i) => i);
  const picked = new Set<number>();
  while (picked.size < count) picked.add(Math.floor(rng() * n));
  return [...picked].sort((a, b) => a - b);
}

/** Every value of a whole graph in float64, a training graph's backward half included: the gradients its
 * backward graph computes, free of float32 rounding. Reciprocal, which run64 does not implement, is run as
 * Div(1, x). */
export function runAll64(model: ModelProto, feeds: Record<string, T64>): Map<string, T64> {
  const one = 'gradcheck:one';
  const g = model.graph!;
  const node = g.node.map((n) => (n.opType === 'Reciprocal' ? create(NodeProtoSchema, { name: n.name, opType: 'Div', input: [one, n.input[0]!], output: n.output }) : n));
  return run64(modelOf(node, [...g.initializer, tensor(one, [], Float32Array.of(1))]), feeds);
}
