// Model statistics: parameters, MACs, FLOPs (2 x MACs, as darknet counts its "BFLOPs"), weight and
// activation bytes, per node and in total. MACs count the multiply-adds of Conv, ConvTranspose, Gemm and
// MatMul at batch 1; element-wise ops are not counted (neither does darknet). Each initializer's parameters
// count once, at its first consumer; constants that configure an op (Resize scales, Reshape shapes) are not
// parameters, though their bytes are stored. BatchNormalization's running mean and variance are parameters
// but not trainable ones (darknet's "trainable params" leave them out).
import type { NodeProto } from 'onnx-buf';
import type { Graph } from './graph.ts';
import { inferShapes } from './shape/infer.ts';
import type { Dim, ValueType } from './shape/types.ts';
import { Attrs } from './attrs.ts';
import { BYTES, elementCount } from './tensor.ts';

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

const MACS: Record<string, Macs> = {
  // every output element is a dot product over (Cin/group) x kernel
  Conv: (n, t) => {
    const [w, y] = [t(n.input[1])?.shape, t(n.output[0])?.shape];
    return known(w) && known(y) ? volume(y) * volume(w.slice(1)) : undefined;
  },
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
  MatMul: (n, t) => {
    const [a, y] = [t(n.input[0])?.shape, t(n.output[0])?.shape];
    return known(a) && known(y) ? volume(y) * size(a[a.length - 1]) : undefined;
  },
};

/** BatchNormalization inputs 3 and 4 (running mean and variance) are statistics, not trained weights. */
const untrained = (n: NodeProto, i: number): boolean => n.opType === 'BatchNormalization' && i >= 3;

/** Inputs that configure an op (a shape, scales, axes, pads, bounds) rather than weight it: not parameters. */
const CONFIG_INPUTS: Record<string, readonly number[]> = {
  Clip: [1, 2], Expand: [1], Pad: [1, 2, 3], Reshape: [1], Resize: [1, 2, 3], Slice: [1, 2, 3, 4], Split: [1],
  Squeeze: [1], Tile: [1], Unsqueeze: [1], Upsample: [1],
};

export function modelStats(g: Graph, opset: number): ModelStats {
  const { types, problems } = inferShapes(g, opset);
  const t = (i: string | undefined) => (i ? types.get(i) : undefined);
  const counted = new Set<string>();
  const uncounted: string[] = [];
  const nodes = g.topologicalOrder().map((n): NodeStats => {
    let params = 0;
    let trainable = 0;
    let weightBytes = 0;
    n.input.forEach((i, k) => {
      const init = i ? g.initializers.get(i) : undefined;
      if (!init || counted.has(i)) return;
      counted.add(i);
      const count = elementCount(init);
      weightBytes += count * (BYTES[init.dataType] ?? 0);
      if (CONFIG_INPUTS[n.opType]?.includes(k)) return;
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
