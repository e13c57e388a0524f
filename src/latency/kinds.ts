// What kind of kernel each ONNX op becomes, for the latency model: the kind picks the efficiency factor of a
// target profile's `latency` block. Weighted ops (conv, gemm) are timed from their MACs; the rest move
// memory; shape bookkeeping and Q/DQ (folded into their neighbours by TensorRT and onnxruntime) cost nothing.
import type { NodeProto } from 'onnx-buf';
import { Attrs } from '../onnx/attrs.ts';

/** Kernel kinds with an efficiency factor; `free` ops take no time. */
export type KernelKind = 'conv' | 'pointwise' | 'depthwise' | 'gemm' | 'shallow' | 'memory';
export const KERNEL_KINDS: readonly KernelKind[] = ['conv', 'depthwise', 'gemm', 'memory', 'pointwise', 'shallow'];

/** A dense conv whose dot products are shorter than this (a first conv on 3 channels: 27) is `shallow`:
 *  CPUs run it far below their peak, its loads dominate. */
export const SHALLOW_DEPTH = 64;
/** A conv on this many input channels (per group) or fewer is `shallow` whatever its kernel: the image's 3
 *  channels fill a fraction of a vector register (yolov5n's 6x6 stem, rows of 108, runs like a 3x3 one). */
export const SHALLOW_CHANNELS = 4;

/** Weighted ops: their weight is input `w` (its dims say 1x1 and groups). */
const WEIGHTED: Record<string, { w: number }> = {
  Conv: { w: 1 }, ConvInteger: { w: 1 }, ConvTranspose: { w: 1 }, QLinearConv: { w: 3 },
};
const GEMM = new Set(['Gemm', 'MatMul', 'MatMulInteger', 'QLinearMatMul']);

/** Ops that need no kernel of their own: metadata, views, and quantization folded by the runtime. */
export const FREE_OPS: ReadonlySet<string> = new Set([
  'Constant', 'ConstantOfShape', 'DequantizeLinear', 'Flatten', 'Identity', 'QuantizeLinear', 'Reshape', 'Shape',
  'Size', 'Squeeze', 'Unsqueeze',
]);

/** Ops a runtime runs inside the kernel of the conv before them (TensorRT's and onnxruntime's fusions):
 *  normalisation, activations and the pieces of SiLU, mish and hard-swish. */
export const FUSABLE_OPS: ReadonlySet<string> = new Set([
  'Add', 'BatchNormalization', 'Clip', 'Elu', 'HardSigmoid', 'HardSwish', 'LeakyRelu', 'Mish', 'Mul', 'PRelu',
  'Relu', 'Sigmoid', 'Softplus', 'Tanh',
]);

/**
 * The kind of kernel `n` runs as. `channelBlock`: the runtime's channel block (onnxruntime's NCHWc layout: 16
 * channels with AVX-512, 8 with AVX2), where a dense conv on fewer input channels reads the plain layout with
 * a kernel of its own, slow per multiply-add (MobileNetV2's 1x1 on 8 channels ran at a quarter of one on 32).
 */
export function kindOf(n: NodeProto, weightDims: (name: string | undefined) => number[] | undefined, channelBlock?: number): KernelKind | 'free' {
  if (FREE_OPS.has(n.opType)) return 'free';
  if (GEMM.has(n.opType)) return 'gemm';
  const w = WEIGHTED[n.opType];
  if (!w) return 'memory';
  const dims = weightDims(n.input[w.w]);
  if (new Attrs(n).int('group', 1) > 1) return 'depthwise';
  if (dims && channelBlock && dims[1]! < channelBlock) return 'shallow';
  if (!dims || dims.slice(2).every((d) => d === 1)) return dims ? 'pointwise' : 'conv';
  return dims.slice(1).reduce((a, d) => a * d, 1) < SHALLOW_DEPTH || dims[1]! <= SHALLOW_CHANNELS ? 'shallow' : 'conv';
}

export const isWeighted = (op: string): boolean => op in WEIGHTED || GEMM.has(op);

/** Ops onnxruntime runs in its NCHWc layout when their inputs are in it (its NchwcTransformer), besides convs
 *  and what fuses into them; SiLU's Sigmoid and Mul too, as its QuickGelu. Any other op (mish's Softplus)
 *  reads and writes the plain layout, and the layout changes around it are kernels of their own (yolov4 at
 *  416: 75 ReorderOutput and 67 ReorderInput kernels, 41 ms of 1320). */
export const NCHWC_OPS: ReadonlySet<string> = new Set([
  'Add', 'AveragePool', 'BatchNormalization', 'Concat', 'GlobalAveragePool', 'GlobalMaxPool', 'MaxPool', 'Mul', 'Relu',
  'Resize', 'Sigmoid', 'Sum', 'Tanh', 'Upsample',
]);
