// Inserts what plan.ts decided: one QuantizeLinear → DequantizeLinear pair per quantized activation (scale
// from its group's calibrated amax, zero point 0), and int8 weights behind a DequantizeLinear. This is
// onnxruntime's QDQ format and TensorRT's explicit quantization at once:
//  - activations are per-tensor symmetric: int8 with zero point 0 (TensorRT's only form), or, with
//    `activations: 'uint8'`, the same grid stored as uint8 with zero point 128 (q_u8 = q_s8 + 128, the
//    same values and the same saturation), which is what onnxruntime's x86 kernels take natively;
//  - weights are int8 initializers with zero point 0, per output channel (DequantizeLinear axis 0 for Conv,
//    the output axis for Gemm/MatMul) or per tensor;
//  - the bias stays float by default: TensorRT's ONNX parser dequantizes int8 only, and onnxruntime (its
//    WeightBiasQuantization step, checked in 1.30: every DQ→Conv→Q group became a QLinearConv) turns a float
//    bias into the int32 one QLinearConv needs. `bias: 'int32'` writes that int32 bias (scale s_x·s_w)
//    into the file instead, as onnxruntime's own quantizer does.
// `place` walks the plan; the form says what a quantized value becomes, so qat's training graph (fake.ts)
// quantizes exactly the values this file does, at the same scales.
import type { NodeProto, TensorProto } from 'onnx-buf';
import type { Graph } from '../../../onnx/graph.ts';
import { node, tensor } from '../../../onnx/make.ts';
import { readFloats } from '../floats.ts';
import type { QdqPlan } from './plan.ts';
import type { Role } from './roles.ts';
import { quantizeBias, quantizeWeight } from './weights.ts';

export interface InsertOptions {
  weights: 'per-channel' | 'per-tensor';
  activations?: 'int8' | 'uint8';
  bias?: 'float' | 'int32';
  /** 7-bit weights (levels −63..63): see cpu.ts; onnxruntime's `reduce_range`. */
  reduceRange?: boolean;
  /** Weight scales to use, by weight name (quantization-aware training's), in place of max|w| / qmax. */
  weightScales?: ReadonlyMap<string, Float32Array>;
}

/** The smallest amax used: an all-zero tensor still needs a positive scale. */
const MIN_AMAX = 1e-12;

/** Scales per quantized tensor and branch, after sharing: the largest amax of its group over 127. */
export function groupScales(plan: QdqPlan, amax: ReadonlyMap<string, number>): Map<string, number> {
  const values = [...plan.tensors.map((t) => [t, amax.get(t) ?? 0] as const), ...plan.branches.map((b) => [b.id, amax.get(b.tensor) ?? 0] as const)];
  const groupMax = new Map<string, number>();
  for (const [v, a] of values) {
    const gr = plan.group.get(v)!;
    groupMax.set(gr, Math.max(groupMax.get(gr) ?? MIN_AMAX, a));
  }
  return new Map(values.map(([v]) => [v, groupMax.get(plan.group.get(v)!)! / 127]));
}

/**
 * How quantization is written into the graph: as Q/DQ nodes with int8 weights (the deployed model, here), or
 * as fake quantization in float ops (qat's training graph, fake.ts). The placement is the same for both.
 */
export interface QuantForm {
  /** Replaces input `spec.slot` of the weighted node `n` (its weight) by its quantized form. */
  weight(g: Graph, n: NodeProto, spec: NonNullable<Role['weight']>): void;
  /** `v` quantized at the scale of `key` (a quantized tensor or a branch id); returns the dequantized value. */
  activation(g: Graph, v: string, base: string, key: string, after?: NodeProto): string;
  /** Whether two keys have one scale (a Concat branch then needs no requantization). */
  sameScale(a: string, b: string): boolean;
}

/** Quantizes what the plan says in the given form: weights first, then each tensor, then the Concat branches. */
export function place(g: Graph, plan: QdqPlan, form: QuantForm): void {
  for (const [n, role] of plan.quantized) if (role.weight) form.weight(g, n, role.weight);
  const dequantized = new Map(plan.tensors.map((t) => [t, insertPair(g, plan, t, form)]));
  for (const b of plan.branches) {
    if (form.sameScale(b.id, b.tensor)) continue; // the concat's scale is the tensor's own
    b.node.input[b.slot] = form.activation(g, dequantized.get(b.tensor)!, `${b.tensor}.${b.node.name}`, b.id, b.node);
  }
  g.sort();
}

/** `scales`: per quantized tensor and branch id (groupScales, or qat's trained ones). */
export function insertQdq(g: Graph, plan: QdqPlan, scales: ReadonlyMap<string, number>, opts: InsertOptions): void {
  const type = opts.activations ?? 'int8';
  place(g, plan, {
    // a bias's scale needs the scale of the activation its node reads, by its original name: weights go first
    weight: (g, n, spec) => quantizeWeights(g, n, spec, scales, opts),
    activation: (g, v, base, key, after) => requantize(g, v, base, scales.get(key)!, type, after),
    sameScale: (a, b) => scales.get(a) === scales.get(b),
  });
}

export function addInit(g: Graph, base: string, dims: number[], data: Float32Array | Int8Array | Uint8Array | Int32Array): string {
  const name = g.freshName(base);
  g.initializers.set(name, tensor(name, dims, data));
  return name;
}

/** The quantized form of `t`; the readers plan.ts names read it, and its name is returned. */
function insertPair(g: Graph, plan: QdqPlan, t: string, form: QuantForm): string {
  const readers = g.consumers(t).map((c) => ({ c, slots: c.input.flatMap((v, j) => (v === t && plan.readsDequantized(c, j) ? [j] : [])) }));
  const dq = form.activation(g, t, t, t, g.producer(t));
  for (const { c, slots } of readers) for (const j of slots) c.input[j] = dq;
  g.touched();
  return dq;
}

/** QuantizeLinear → DequantizeLinear of `v` at `scale`, named after `base`; returns the DQ's output. */
function requantize(g: Graph, v: string, base: string, scale: number, type: 'int8' | 'uint8', after?: NodeProto): string {
  const s = addInit(g, `${base}.scale`, [], Float32Array.of(scale));
  const zp = addInit(g, `${base}.zero_point`, [], type === 'int8' ? Int8Array.of(0) : Uint8Array.of(128));
  const q = g.freshName(`${base}.quantized`);
  const dq = g.freshName(`${base}.dequantized`);
  const nodes = [node('QuantizeLinear', [v, s, zp], [q], {}, g.freshName(`${base}.quantize`)), node('DequantizeLinear', [q, s, zp], [dq], {}, g.freshName(`${base}.dequantize`))];
  g.insert(nodes, after);
  return dq;
}

/** The weight's quantization levels: ±127, or ±63 with reduceRange (cpu.ts). */
export const weightQmax = (opts: Pick<InsertOptions, 'reduceRange'>): number => (opts.reduceRange ? 63 : 127);

/** The weight's scale axis: per output channel, or undefined for one scale per tensor. */
export const weightAxis = (n: NodeProto, spec: NonNullable<Role['weight']>, w: TensorProto, opts: Pick<InsertOptions, 'weights'>): number | undefined =>
  (opts.weights === 'per-channel' ? spec.axis(n, w) : undefined);

function quantizeWeights(g: Graph, n: NodeProto, spec: NonNullable<Role['weight']>, scales: ReadonlyMap<string, number>, opts: InsertOptions): void {
  const w = g.initializers.get(n.input[spec.slot]!);
  if (!w) return; // a weight from a Constant node stays float; the layer then runs in float
  const dims = w.dims.map(Number);
  const axis = weightAxis(n, spec, w, opts);
  const { values, scales: ws } = quantizeWeight(readFloats(w), dims, axis, weightQmax(opts), opts.weightScales?.get(w.name));
  const sDims = axis === undefined ? [] : [ws.length];
  const wq = addInit(g, `${w.name}.int8`, dims, values);
  const ws_ = addInit(g, `${w.name}.scale`, sDims, ws);
  const wz = addInit(g, `${w.name}.zero_point`, sDims, new Int8Array(ws.length));
  const out = g.freshName(`${w.name}.dequantized`);
  g.insert([node('DequantizeLinear', [wq, ws_, wz], [out], axis === undefined ? {} : { axis }, g.freshName(`${n.name}.weight.dequantize`))], n);
  const old = n.input[spec.slot]!;
  n.input[spec.slot] = out;
  const b = spec.bias !== undefined && n.input[spec.bias] ? g.initializers.get(n.input[spec.bias]!) : undefined;
  const sx = scales.get(n.input[0]!);
  if (opts.bias === 'int32' && b && sx !== undefined) {
    const { values: bq, scales: bs } = quantizeBias(readFloats(b), sx, ws);
    const bqName = addInit(g, `${b.name}.int32`, [bq.length], bq);
    const bsName = addInit(g, `${b.name}.scale`, bs.length === 1 ? [] : [bs.length], bs);
    const bOut = g.freshName(`${b.name}.dequantized`);
    g.insert([node('DequantizeLinear', [bqName, bsName], [bOut], bs.length === 1 ? {} : { axis: 0 }, g.freshName(`${n.name}.bias.dequantize`))], n);
    n.input[spec.bias!] = bOut;
  }
  g.touched();
  for (const v of [old, b?.name]) if (v && !g.consumers(v).length && !g.isGraphOutput(v)) g.initializers.delete(v);
}
