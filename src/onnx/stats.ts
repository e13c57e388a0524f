// Model statistics: parameters, MACs, FLOPs (2 x MACs, as darknet counts its "BFLOPs"), weight and
// activation bytes, per node and in total. MACs count the multiply-adds of Conv, ConvTranspose, Gemm and
// MatMul at batch 1, and of their quantized forms (QLinearConv, ConvInteger, QLinearMatMul, MatMulInteger);
// element-wise ops are not counted (neither does darknet). Each stored tensor's parameters — an
// initializer's or a Constant node's — count once, at its first consumer; constants that configure an op
// (Resize scales, Reshape shapes, quantization scales and zero points) and scalars are not parameters, though
// their bytes are stored. So a model counts the same in float32, behind float16 Casts, or as int8 weights
// behind DequantizeLinear. BatchNormalization's running mean and variance are parameters but not trainable
// ones (darknet's "trainable params" leave them out).
import type { NodeProto, TensorProto } from 'onnx-buf';
import type { Graph } from './graph.ts';
import { inferShapes } from './shape/infer.ts';
import type { Dim, ValueType } from './shape/types.ts';
import { Attrs } from './attrs.ts';
import { BYTES, elementCount } from './tensor.ts';
import { constantTensor } from './prepare/constants.ts';

export interface NodeStats { name: string; op: string; params: number; trainable: number; macs: number; weightBytes: number; activationBytes: number }
export interface ModelStats {
  params: number; trainable: number; macs: number; flops: number; weightBytes: number; activationBytes: number; nodes: NodeStats[];
  /** Nodes of ops with multiply-adds whose shapes shape inference could not follow: their MACs are not in `macs`. */
  uncounted: string[];
  /** Nodes of ops lithe has no shape rule for: shapes after them are unknown. */
  unfollowed: { node: string; op: string }[];
}

/** A dimension at batch 1: the symbolic batch (or any unknown) counts as 1. */
const size = (d: Dim | undefined): number => (typeof d === 'number' ? d : 1);
const volume = (s: Dim[] | undefined): number => (s ? s.reduce<number>((a, d) => a * size(d), 1) : 0);

/** A shape whose every dimension but the batch is known: what counting multiply-adds needs. */
const known = (s: Dim[] | undefined): s is Dim[] => !!s && s.every((d, i) => i === 0 || typeof d === 'number');

/** A node's multiply-adds; undefined when the shapes they depend on are unknown. */
type Macs = (n: NodeProto, t: (i: string | undefined) => ValueType | undefined) => number | undefined;

/** Every output element is a dot product over (Cin/group) x kernel; the weight is input `w`. */
const conv = (w: number): Macs => (n, t) => {
  const [ws, y] = [t(n.input[w])?.shape, t(n.output[0])?.shape];
  return known(ws) && known(y) ? volume(y) * volume(ws.slice(1)) : undefined;
};

/** Every output element is a dot product along A's last axis. */
const matmul: Macs = (n, t) => {
  const [a, y] = [t(n.input[0])?.shape, t(n.output[0])?.shape];
  return known(a) && known(y) ? volume(y) * size(a[a.length - 1]) : undefined;
};

const MACS: Record<string, Macs> = {
  Conv: conv(1), ConvInteger: conv(1), QLinearConv: conv(3),
  // every input element is scattered through (Cout/group) x kernel
  ConvTranspose: (n, t) => {
    const [w, x] = [t(n.input[1])?.shape, t(n.input[0])?.shape];
    return known(w) && known(x) ? volume(x) * volume(w.slice(1)) : undefined;
  },
  Gemm: (n, t) => {
    const a = t(n.input[0])?.shape;
    const y = t(n.output[0])?.shape;
    if (!known(a) || !known(y)) return undefined;
    const k = new Attrs(n).int('transA', 0) ? a[0] : a[1];
    return volume(y) * size(k);
  },
  MatMul: matmul, MatMulInteger: matmul, QLinearMatMul: matmul,
};

/** BatchNormalization inputs 3 and 4 (running mean and variance) are statistics, not trained weights. */
const untrained = (n: NodeProto, i: number): boolean => n.opType === 'BatchNormalization' && i >= 3;

/** Inputs that configure an op (a shape, scales, axes, pads, bounds) rather than weight it: not parameters. */
const CONFIG_INPUTS: Record<string, readonly number[]> = {
  Clip: [1, 2], ConvInteger: [2, 3], DequantizeLinear: [1, 2], Expand: [1], MatMulInteger: [2, 3], Pad: [1, 2, 3],
  QLinearConv: [1, 2, 4, 5, 6, 7], QLinearMatMul: [1, 2, 4, 5, 6, 7], QuantizeLinear: [1, 2], Reshape: [1],
  Resize: [1, 2, 3], Slice: [1, 2, 3, 4], Split: [1], Squeeze: [1], Tile: [1], Unsqueeze: [1], Upsample: [1],
};

/** Stored tensors by value name: initializers, and the values of Constant nodes (weights some exporters keep
 *  there; lithe's preparation turns them into initializers, `lithe info` and a report count either). */
function storedTensors(g: Graph): Map<string, TensorProto> {
  const out = new Map(g.initializers);
  for (const n of g.nodes) {
    const t = n.opType === 'Constant' ? constantTensor(n) : undefined;
    if (t && !out.has(t.name)) out.set(t.name, t);
  }
  return out;
}

/** Ops that only change how a stored tensor is kept (a float16 weight's Cast, an int8 weight's
 *  DequantizeLinear): its parameters count at the op that reads the result, as they would unconverted. */
const STORAGE_OPS: ReadonlySet<string> = new Set(['Cast', 'DequantizeLinear', 'Identity']);

/** Values that are a stored tensor seen through storage ops, by the name of that tensor. */
function storedThrough(g: Graph, stored: Map<string, TensorProto>): Map<string, string> {
  const via = new Map<string, string>();
  for (const n of g.topologicalOrder()) {
    const src = n.input[0];
    if (!STORAGE_OPS.has(n.opType) || !src || !n.output[0]) continue;
    const base = stored.has(src) ? src : via.get(src);
    if (base !== undefined) via.set(n.output[0], base);
  }
  return via;
}

export function modelStats(g: Graph, opset: number): ModelStats {
  const { types, problems } = inferShapes(g, opset);
  const t = (i: string | undefined) => (i ? types.get(i) : undefined);
  const counted = new Set<string>();
  const uncounted: string[] = [];
  const stored = storedTensors(g);
  const via = storedThrough(g, stored);
  const nodes = g.topologicalOrder().map((n): NodeStats => {
    let params = 0;
    let trainable = 0;
    let weightBytes = 0;
    if (n.output[0] && via.has(n.output[0])) return { name: n.name, op: n.opType, params, trainable, macs: 0, weightBytes, activationBytes: 0 };
    n.input.forEach((value, k) => {
      const i = value && (via.get(value) ?? value);
      const init = i ? stored.get(i) : undefined;
      if (!i || !init || counted.has(i)) return;
      counted.add(i);
      const count = elementCount(init);
      weightBytes += count * (BYTES[init.dataType] ?? 0);
      if (count <= 1 || CONFIG_INPUTS[n.opType]?.includes(k)) return;
      params += count;
      if (!untrained(n, k)) trainable += count;
    });
    const activationBytes = n.output.reduce((a, o) => { const v = t(o); return a + (v ? volume(v.shape) * (BYTES[v.elem] ?? 0) : 0); }, 0);
    const macs = MACS[n.opType]?.(n, t);
    if (MACS[n.opType] && macs === undefined) uncounted.push(n.name);
    return { name: n.name, op: n.opType, params, trainable, macs: macs ?? 0, weightBytes, activationBytes };
  });
  const unfollowed = problems.filter((p) => p.kind === 'unknown-op').map((p) => ({ node: p.node ?? '', op: p.op ?? '?' }));
  return { ...sumStats(nodes), nodes, uncounted, unfollowed };
}

/** Totals over a set of nodes (a scope). */
export function sumStats(nodes: readonly NodeStats[]): Omit<ModelStats, 'nodes' | 'uncounted' | 'unfollowed'> & { nodes: number } {
  const sum = (k: keyof NodeStats) => nodes.reduce((a, n) => a + (n[k] as number), 0);
  const macs = sum('macs');
  return { nodes: nodes.length, params: sum('params'), trainable: sum('trainable'), macs, flops: 2 * macs, weightBytes: sum('weightBytes'), activationBytes: sum('activationBytes') };
}
