// Where the QuantizeLinear/DequantizeLinear pairs go, decided before anything is inserted (calibration
// needs the list of tensors first). The rules, in order:
//  1. Float nodes: the `keep` set and the decode tail (decode.ts: everything after the head's output
//     convolutions). They read unquantized values and keep float weights.
//  2. Quantized nodes: every other node whose op has an int8 role (roles.ts), except single-input int8
//     kernels (LeakyRelu, Sigmoid, GlobalAveragePool, ...) whose input comes from a float node: their input
//     would be quantized for them alone, and in float they fuse with their producer. A same-scale op after a
//     float node stays quantized when a weighted or multi-input int8 node reads it: onnxruntime would move
//     that node's Q backward across a MaxPool anyway (QDQ propagation) and then pool int8 in NCHW, 16×
//     slower than its NHWC int8 pool (yolov3-tiny's first pool: 4 ms against 0.25). After the pool-first
//     move (fuse/pool-first.ts) the float first layer's pool feeds its LeakyReLU, so pool and activation
//     stay float and the Q comes after the activation, where no propagation reaches.
//  3. A float activation gets one Q→DQ pair when a quantized node reads it as data, or when a quantized
//     node produces it, it is not a graph output and no float node reads it (quantizing a layer's output is
//     what lets onnxruntime fuse DQ→Conv→Q into QLinearConv; graph outputs and values read by the decode
//     tail stay float, so the head's raw maps keep full precision).
//  4. Consumers read the DequantizeLinear, except float nodes (rule 1) and non-data inputs of quantized
//     nodes (Resize scales, Reshape shapes), which read the float value. Ops with no int8 role (Relu, Clip,
//     HardSigmoid, an unfolded BatchNormalization) read the DQ too: they run in float between DQ and Q.
//  5. Shared scales: the data input and outputs of a same-scale op (MaxPool, Resize, ...) share one scale,
//     and so do the values a quantized Concat reads and its output (the concat is then a copy of int8
//     data). A Concat input that is also read elsewhere (directly or through same-scale ops) is not forced
//     onto the concat's scale: the concat reads a branch of it, requantized to the shared scale (DQ → Q →
//     DQ), so its other readers keep their own resolution. Without the branch, yolov3's route 97 gave layer
//     36 (|x| ≤ 354) the scale of layer 96 (|x| ≤ 96 876): everything rounded to zero, and so did the
//     backbone after it.
import type { NodeProto } from 'onnx-buf';
import type { Graph } from '../../../onnx/graph.ts';
import { DataType } from '../../../onnx/make.ts';
import type { ValueType } from '../../../onnx/shape/types.ts';
import { QuantizeError } from '../errors.ts';
import { decodeTail } from './decode.ts';
import { isDataSlot, roleOf, type Role } from './roles.ts';

export interface QdqPlan {
  /** Nodes that run in int8, with their role. */
  quantized: Map<NodeProto, Role>;
  keep: Set<NodeProto>;
  decode: Set<NodeProto>;
  /** Activations that get a Q→DQ pair, in topological order of their producers (graph inputs first). */
  tensors: string[];
  /** Concat inputs read through a requantized branch (rule 5). */
  branches: Branch[];
  /** The shared-scale group of each quantized tensor and branch id, named by one member. */
  group: Map<string, string>;
  /** Whether input `slot` of `node`, a quantized tensor, is read through the DequantizeLinear. */
  readsDequantized(node: NodeProto, slot: number): boolean;
}

/** Input `slot` of the Concat `node` reads `tensor` requantized to the concat's scale; `id` names the branch. */
export interface Branch { node: NodeProto; slot: number; tensor: string; id: string }

/** `headConvs`: the output tensors of the head's output convolutions (decode.ts), when the head is known. */
export function planQdq(g: Graph, types: ReadonlyMap<string, ValueType>, keepNames: ReadonlySet<string> = new Set(), headConvs: readonly string[] = []): QdqPlan {
  const missing = [...keepNames].filter((k) => !g.node(k));
  if (missing.length) throw new QuantizeError(`keep: no node named ${missing.map((m) => `'${m}'`).join(', ')}`);
  const decode = decodeTail(g, headConvs);
  const keep = new Set(g.nodes.filter((n) => keepNames.has(n.name)));
  const isFloatNode = (n: NodeProto) => keep.has(n) || decode.has(n);
  const isConstant = (v: string) => g.initializers.has(v) || g.producer(v)?.opType === 'Constant';
  const quantized = new Map<NodeProto, Role>();
  const isSingle = (r: Role) => r.kind === 'kernel' && r.data !== 'all' && r.data.length === 1;
  // whether a node other than a single-input kernel or a same-scale op would read n's output in int8
  const readDirectly = (n: NodeProto) => n.output.some((o) => g.consumers(o).some((c) => {
    const r = isFloatNode(c) ? undefined : roleOf(c, isConstant);
    return !!r && !isSingle(r) && r.kind !== 'same-scale';
  }));
  for (const n of g.topologicalOrder()) {
    const role = isFloatNode(n) ? undefined : roleOf(n, isConstant);
    // float data only: a Concat of int64 shapes is no int8 op
    if (!role || n.input.some((v, j) => v && isDataSlot(role, j) && types.get(v)?.elem !== DataType.FLOAT)) continue;
    const from = g.producer(n.input[0]!);
    const fromFloat = !from || !quantized.has(from);
    if (fromFloat && isSingle(role)) continue;
    if (fromFloat && role.kind === 'same-scale' && !readDirectly(n)) continue;
    quantized.set(n, role);
  }
  const readsData = (c: NodeProto, v: string) => { const r = quantized.get(c); return !!r && c.input.some((x, j) => x === v && isDataSlot(r, j)); };
  const isActivation = (v: string) => !isConstant(v) && types.get(v)?.elem === DataType.FLOAT;
  const values = [...g.inputs.map((i) => i.name).filter((v) => !g.initializers.has(v)), ...g.topologicalOrder().flatMap((n) => n.output.filter(Boolean))];
  const tensors = values.filter((v) => {
    if (!isActivation(v)) return false;
    const consumers = g.consumers(v);
    const producer = g.producer(v);
    const fromQuantized = !!producer && quantized.has(producer) && !g.isGraphOutput(v) && consumers.length > 0 && !consumers.some(isFloatNode);
    return fromQuantized || consumers.some((c) => readsData(c, v));
  });
  return {
    quantized, keep, decode, tensors,
    ...shareScales(g, quantized, new Set(tensors)),
    readsDequantized: (node, slot) => {
      if (isFloatNode(node)) return false;
      const r = quantized.get(node);
      return !r || isDataSlot(r, slot);
    },
  };
}

class UnionFind {
  private readonly parent = new Map<string, string>();
  add(v: string): void { if (!this.parent.has(v)) this.parent.set(v, v); }
  find(v: string): string { let r = v; while (this.parent.get(r) !== r) r = this.parent.get(r)!; this.parent.set(v, r); return r; }
  union(a: string, b: string): void { this.parent.set(this.find(b), this.find(a)); }
  keys(): string[] { return [...this.parent.keys()]; }
}

/** Rule 5: same-scale groups first, then each Concat joined to its inputs' groups or to branches of them. */
function shareScales(g: Graph, quantized: ReadonlyMap<NodeProto, Role>, tensors: ReadonlySet<string>): { group: Map<string, string>; branches: Branch[] } {
  const uf = new UnionFind();
  for (const t of tensors) uf.add(t);
  for (const [n, role] of quantized) {
    const vs = [n.input[0]!, ...n.output.filter(Boolean)];
    if (role.kind === 'same-scale' && vs.every((v) => tensors.has(v))) for (const v of vs.slice(1)) uf.union(vs[0]!, v);
  }
  // The same-scale groups, before any Concat joins them.
  const root = new Map([...tensors].map((t) => [t, uf.find(t)]));
  const members = new Map<string, string[]>();
  for (const [t, r] of root) (members.get(r) ?? members.set(r, []).get(r)!).push(t);
  // Whether the concat is the only reader of u's group, apart from the same-scale ops inside it.
  const exclusive = (u: string, concat: NodeProto) => {
    const group = new Set(members.get(root.get(u)!)!);
    return [...group].every((t) => !g.isGraphOutput(t) && g.consumers(t).every((c) =>
      c === concat || (quantized.get(c)?.kind === 'same-scale' && c.output.filter(Boolean).every((o) => group.has(o)))));
  };
  const branches: Branch[] = [];
  for (const n of quantized.keys()) {
    if (n.opType !== 'Concat' || !tensors.has(n.output[0]!)) continue;
    n.input.forEach((u, slot) => {
      if (exclusive(u, n)) { uf.union(n.output[0]!, u); return; }
      const id = `${u} -> ${n.name}`;
      uf.add(id);
      uf.union(n.output[0]!, id);
      branches.push({ node: n, slot, tensor: u, id });
    });
  }
  return { group: new Map(uf.keys().map((k) => [k, uf.find(k)])), branches };
}
