// What int8 means for each op type, as a table: which inputs carry activations to quantize, and whether the
// outputs share the input's scale. The sets follow onnxruntime's QDQ fusions on the CPU provider (the ops
// its QDQ transformer turns into int8 kernels) and TensorRT's explicit-quantization rules; an op not listed
// runs in float between a DequantizeLinear and a QuantizeLinear.
import type { NodeProto, TensorProto } from 'onnx-buf';
import { Attrs } from '../../../onnx/attrs.ts';

/**
 * - `weighted`: Conv, MatMul, Gemm with a constant weight: input 0 quantized per tensor, the weight stored
 *   as int8 with a per-output-channel scale (`axis`), the bias kept in float (see insert.ts).
 * - `kernel`: ops onnxruntime runs as QLinear* kernels (QLinearAdd, QLinearMul, QLinearConcat,
 *   QLinearLeakyRelu, QLinearSigmoid, QLinear(Global)AveragePool): every data input and the output quantized.
 * - `same-scale`: ops that only move or select values (MaxPool, Resize, Reshape, ...): input and outputs
 *   share one scale, so onnxruntime drops the Q/DQ pair and runs them on int8 (its "drop QDQ" rule needs
 *   equal scales), and TensorRT moves the DequantizeLinear across them.
 */
export type RoleKind = 'weighted' | 'kernel' | 'same-scale';

export interface Role {
  kind: RoleKind;
  /** Input slots that carry quantized activations; `all` for variadic ops. */
  data: readonly number[] | 'all';
  /** For `weighted`: the weight's input slot, its output-channel axis, and the bias slot. */
  weight?: { slot: number; bias?: number; axis(node: NodeProto, w: TensorProto): number | undefined };
  /** Extra conditions (attributes, constant inputs) without which the node stays float. */
  accepts?(node: NodeProto, isConstant: (v: string) => boolean): boolean;
}

const activations = (slots: 'all' | number[]) => (n: NodeProto, isConstant: (v: string) => boolean) =>
  (slots === 'all' ? n.input : slots.map((s) => n.input[s] ?? '')).every((v) => v !== '' && !isConstant(v));
const weightIsConstant = (n: NodeProto, isConstant: (v: string) => boolean) => !!n.input[1] && isConstant(n.input[1]);

const kernel = (data: 'all' | number[]): Role => ({ kind: 'kernel', data, accepts: activations(data) });
const sameScale: Role = { kind: 'same-scale', data: [0], accepts: (n) => n.output.length === 1 || n.opType === 'Split' };

const gemmPlain = (n: NodeProto): boolean => {
  const a = new Attrs(n);
  return a.float('alpha', 1) === 1 && a.float('beta', 1) === 1 && a.int('transA', 0) === 0;
};

export const ROLES: Readonly<Record<string, Role>> = {
  Add: kernel('all'),
  AveragePool: kernel([0]),
  Concat: kernel('all'),
  Conv: { kind: 'weighted', data: [0], weight: { slot: 1, bias: 2, axis: () => 0 }, accepts: weightIsConstant },
  Flatten: sameScale,
  Gemm: {
    kind: 'weighted', data: [0],
    weight: { slot: 1, bias: 2, axis: (n) => (new Attrs(n).int('transB', 0) ? 0 : 1) },
    accepts: (n, c) => weightIsConstant(n, c) && gemmPlain(n),
  },
  GlobalAveragePool: kernel([0]),
  Identity: sameScale,
  LeakyRelu: kernel([0]),
  MatMul: { kind: 'weighted', data: [0], weight: { slot: 1, axis: (_n, w) => (w.dims.length === 2 ? 1 : undefined) }, accepts: weightIsConstant },
  MaxPool: sameScale,
  Mul: kernel('all'),
  Reshape: sameScale,
  Resize: sameScale,
  Sigmoid: kernel([0]),
  Slice: sameScale,
  Split: sameScale,
  Squeeze: sameScale,
  Transpose: sameScale,
  Unsqueeze: sameScale,
};

/** Ops whose weights make them the layers worth quantizing; the decode tail is what no such op follows. */
export const WEIGHTED_OPS: ReadonlySet<string> = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);

export const isDataSlot = (role: Role, slot: number): boolean => role.data === 'all' || role.data.includes(slot);

/** A MatMul of two activations has no weight; onnxruntime still runs it as QLinearMatMul. */
const matmulOfActivations = kernel('all');

/** The node's role, or undefined when it stays float (an op not in the table, or a condition unmet). */
export function roleOf(node: NodeProto, isConstant: (v: string) => boolean): Role | undefined {
  if (node.domain !== '' && node.domain !== 'ai.onnx') return undefined;
  const role = node.opType === 'MatMul' && !weightIsConstant(node, isConstant) ? matmulOfActivations : ROLES[node.opType];
  return role && (role.accepts?.(node, isConstant) ?? true) ? role : undefined;
}
