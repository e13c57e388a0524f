// The float64 reference interpreter (test/support/ref64) agrees with onnxruntime: every op on small one-node
// models from a table, and whole zoo models; plus the finite-difference helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import type { TensorProto, ValueInfoProto } from 'onnx-buf';
import { DataType, graph, model, node, tensor, valueInfo, type AttrValue } from '../src/onnx/make.ts';
import { createSession } from '../src/runtime/session.ts';
import { mulberry32 } from '../src/util/random.ts';
import { zooByName } from '../src/zoo/registry.ts';
import { centralDifference, relativeError } from './support/ref64/fd.ts';
import { ops } from './support/ref64/ops.ts';
import { run64, type T64 } from './support/ref64/run.ts';

/** A node input: random floats fed as a graph input, given floats fed as one, a random 0/1 bool graph input,
 * an int64 or float initializer (shapes, axes, scales), or an omitted optional input. */
type In =
  | { rand: number[]; lo?: number; hi?: number }
  | { vals: number[]; dims: number[] }
  | { bool: number[] }
  | { i64: (number | bigint)[]; dims: number[] }
  | { f32: number[]; dims: number[] }
  | null;

interface Case {
  op: string;
  what?: string;
  attrs?: Record<string, AttrValue>;
  inputs: In[];
  /** Element types of the outputs (one FLOAT output when left out). */
  outputs?: DataType[];
}

const x = (...dims: number[]): In => ({ rand: dims });
const pos = (...dims: number[]): In => ({ rand: dims, lo: 0.1, hi: 3 });
const vals = (v: number[], dims = [v.length]): In => ({ vals: v, dims });
const bool = (...dims: number[]): In => ({ bool: dims });
const i64 = (v: (number | bigint)[], dims = [v.length]): In => ({ i64: v, dims });
const f32 = (v: number[], dims = [v.length]): In => ({ f32: v, dims });
const { FLOAT: F, INT64: I, BOOL: B } = DataType;
const MAX = 9223372036854775807n, MIN = -9223372036854775808n;

const unaryOps = ['Abs', 'Atan', 'Exp', 'HardSwish', 'Identity', 'LeakyRelu', 'Neg', 'Relu', 'Sigmoid', 'Sign', 'Softplus', 'Tanh'];
const compare = ['Greater', 'Less', 'GreaterOrEqual', 'LessOrEqual', 'Equal'];

const cases: Case[] = [
  // convolutions
  { op: 'Conv', what: '3x3 pad 1 bias', attrs: { pads: [1, 1, 1, 1] }, inputs: [x(2, 3, 6, 6), x(4, 3, 3, 3), x(4)] },
  { op: 'Conv', what: 'stride 2, dilation (2,1), asymmetric pads', attrs: { strides: [2, 2], dilations: [2, 1], pads: [1, 0, 2, 1] }, inputs: [x(1, 2, 9, 8), x(3, 2, 3, 3)] },
  { op: 'Conv', what: 'group 2', attrs: { group: 2, strides: [2, 1] }, inputs: [x(1, 4, 5, 5), x(6, 2, 3, 3), x(6)] },
  { op: 'Conv', what: 'depthwise', attrs: { group: 3, pads: [1, 1, 1, 1] }, inputs: [x(2, 3, 5, 5), x(3, 1, 3, 3), x(3)] },
  { op: 'Conv', what: '1x1 rectangular', inputs: [x(1, 3, 4, 6), x(5, 3, 1, 1)] },
  { op: 'Conv', what: '1x3 kernel, SAME_UPPER stride 2', attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2] }, inputs: [x(1, 2, 7, 6), x(2, 2, 1, 3)] },
  { op: 'ConvTranspose', what: 'stride 2 pads 1 output_padding 1 bias', attrs: { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] }, inputs: [x(1, 3, 4, 4), x(3, 2, 3, 3), x(2)] },
  { op: 'ConvTranspose', what: 'group 2, dilation 2, strides (1,2)', attrs: { group: 2, dilations: [2, 2], strides: [1, 2] }, inputs: [x(2, 4, 3, 3), x(4, 3, 2, 2)] },
  { op: 'ConvTranspose', what: 'depthwise, asymmetric pads', attrs: { group: 3, strides: [2, 2], pads: [0, 1, 1, 0] }, inputs: [x(1, 3, 4, 5), x(3, 1, 3, 3), x(3)] },
  { op: 'ConvTranspose', what: 'stride 3 kernel 2 (gaps)', attrs: { strides: [3, 3], output_padding: [2, 1] }, inputs: [x(1, 2, 3, 2), x(2, 2, 2, 2)] },
  // normalisation
  { op: 'BatchNormalization', what: 'inference', inputs: [x(2, 3, 4, 4), x(3), x(3), x(3), pos(3)] },
  { op: 'BatchNormalization', what: 'inference, 2-D input, epsilon', attrs: { epsilon: 0.01 }, inputs: [x(5, 3), x(3), x(3), x(3), pos(3)] },
  { op: 'BatchNormalization', what: 'training, running stats', attrs: { training_mode: 1 }, inputs: [x(2, 3, 4, 4), x(3), x(3), x(3), pos(3)], outputs: [F, F, F] },
  { op: 'BatchNormalization', what: 'training, momentum 0.7', attrs: { training_mode: 1, momentum: 0.7, epsilon: 1e-3 }, inputs: [x(3, 2, 3, 5), x(2), x(2), x(2), pos(2)], outputs: [F, F, F] },
  { op: 'Softmax', inputs: [x(2, 3, 4)] },
  { op: 'Softmax', what: 'axis 1', attrs: { axis: 1 }, inputs: [x(2, 3, 4)] },
  { op: 'Softmax', what: 'axis 0', attrs: { axis: 0 }, inputs: [x(2, 3, 4)] },
  // elementwise
  ...unaryOps.map((op): Case => ({ op, inputs: [x(2, 3, 4)] })),
  { op: 'LeakyRelu', what: 'alpha 0.2', attrs: { alpha: 0.2 }, inputs: [x(2, 3, 4)] },
  { op: 'Log', inputs: [pos(2, 3, 4)] },
  { op: 'Sqrt', inputs: [pos(2, 3, 4)] },
  { op: 'Round', what: 'halves to even', inputs: [vals([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.4, 0.6, -0.6, 3.49, -3.51, 0])] },
  { op: 'Clip', what: 'min and max', inputs: [x(2, 3, 4), f32([-0.5], []), f32([0.7], [])] },
  { op: 'Clip', what: 'max only', inputs: [x(2, 3, 4), null, f32([0.3], [])] },
  { op: 'Clip', what: 'no bounds', inputs: [x(2, 3, 4)] },
  { op: 'HardSigmoid', inputs: [x(2, 3, 4)] },
  { op: 'HardSigmoid', what: 'alpha 0.5 beta 0.2', attrs: { alpha: 0.5, beta: 0.2 }, inputs: [x(2, 3, 4)] },
  { op: 'Cast', what: 'float to float', attrs: { to: F }, inputs: [x(2, 3)] },
  { op: 'Cast', what: 'int64 to float', attrs: { to: F }, inputs: [i64([3, -2, 7], [3])] },
  { op: 'Add', inputs: [x(2, 3, 4), x(4)] },
  { op: 'Sub', inputs: [x(2, 1, 4), x(3, 1)] },
  { op: 'Mul', inputs: [x(2, 3, 4, 5), x(1, 3, 1, 1)] },
  { op: 'Div', inputs: [x(3, 4), pos(3, 1)] },
  { op: 'Max', inputs: [x(2, 3, 4), x(3, 1)] },
  { op: 'Max', what: 'three inputs', inputs: [x(3, 4), x(4), x(3, 1)] },
  { op: 'Min', inputs: [x(2, 3, 4), x(1, 4)] },
  { op: 'Sum', what: 'three inputs', inputs: [x(3, 4), x(4), x(3, 1)] },
  { op: 'Where', inputs: [bool(3, 1), x(3, 4), x(4)] },
  ...compare.map((op): Case => ({ op, inputs: [x(2, 3, 4), x(3, 1)], outputs: [B] })),
  ...compare.map((op): Case => ({ op, what: 'ties', inputs: [vals([1, 2, 3, 4, 5, 6]), vals([1, 3, 3, 2, 5, 7])], outputs: [B] })),
  { op: 'And', inputs: [bool(2, 3, 4), bool(3, 1)], outputs: [B] },
  // shapes and layout
  { op: 'Reshape', what: '0 copies, -1 infers', inputs: [x(2, 3, 4), i64([0, -1])] },
  { op: 'Reshape', inputs: [x(2, 3, 4), i64([4, -1, 2])] },
  { op: 'Flatten', inputs: [x(2, 3, 4, 5)] },
  { op: 'Flatten', what: 'axis 0', attrs: { axis: 0 }, inputs: [x(2, 3, 4)] },
  { op: 'Flatten', what: 'axis -1', attrs: { axis: -1 }, inputs: [x(2, 3, 4)] },
  { op: 'Squeeze', inputs: [x(2, 1, 3, 1), i64([1])] },
  { op: 'Squeeze', what: 'all unit axes', inputs: [x(2, 1, 3, 1)] },
  { op: 'Unsqueeze', inputs: [x(2, 3), i64([0, -1])] },
  { op: 'Transpose', inputs: [x(2, 3, 4, 5)], attrs: { perm: [0, 2, 3, 1] } },
  { op: 'Transpose', what: 'default perm', inputs: [x(2, 3, 4)] },
  { op: 'Concat', attrs: { axis: 1 }, inputs: [x(2, 1, 3), x(2, 4, 3), x(2, 2, 3)] },
  { op: 'Concat', what: 'axis -1', attrs: { axis: -1 }, inputs: [x(2, 3), x(2, 1)] },
  { op: 'Split', what: 'sizes', attrs: { axis: 1 }, inputs: [x(2, 4, 3), i64([1, 3])], outputs: [F, F] },
  { op: 'Split', what: 'equal parts', attrs: { axis: 2 }, inputs: [x(2, 3, 6)], outputs: [F, F, F] },
  { op: 'Slice', inputs: [x(4, 5), i64([1]), i64([3]), i64([1])] },
  { op: 'Slice', what: 'reverse', inputs: [x(4, 5), i64([-1]), i64([MIN]), i64([0]), i64([-1])] },
  { op: 'Slice', what: 'negative steps and clamping', inputs: [x(3, 7, 6), i64([10, -2, 1]), i64([-100, 0, MAX]), i64([1, 2, -3]), i64([-2, -3, 2])] },
  { op: 'Slice', what: 'empty', inputs: [x(3, 4), i64([2]), i64([1]), i64([0])] },
  { op: 'Slice', what: 'no axes or steps', inputs: [x(3, 4), i64([1, -3]), i64([3, MAX])] },
  { op: 'Pad', what: 'constant value', inputs: [x(1, 2, 3, 3), i64([0, 0, 1, 2, 0, 0, 2, 1]), f32([0.5], [])] },
  { op: 'Pad', what: 'negative pads crop', inputs: [x(2, 4, 5), i64([0, -1, 2, 0, 1, -2])] },
  { op: 'Pad', what: 'edge', attrs: { mode: 'edge' }, inputs: [x(1, 2, 3, 3), i64([0, 0, 2, 1, 0, 0, 1, 2])] },
  { op: 'Pad', what: 'reflect', attrs: { mode: 'reflect' }, inputs: [x(1, 2, 3, 4), i64([0, 0, 2, 1, 0, 0, 1, 3])] },
  { op: 'Expand', inputs: [x(3, 1), i64([2, 3, 4])] },
  { op: 'Expand', what: 'both broadcast', inputs: [x(1, 4), i64([3, 1])] },
  { op: 'ConstantOfShape', inputs: [i64([2, 3])] },
  { op: 'ConstantOfShape', what: 'value 1.5', attrs: { value: tensor('value', [1], Float32Array.of(1.5)) }, inputs: [i64([2, 1, 3])] },
  { op: 'Constant', attrs: { value: tensor('value', [2, 2], Float32Array.of(1, -2, 3.5, 4)) }, inputs: [] },
  { op: 'Shape', what: 'start 1', attrs: { start: 1 }, inputs: [x(2, 3, 4)], outputs: [I] },
  { op: 'ScatterElements', inputs: [x(3, 4), i64([1, 0, 2, -1, 0, 2, 1, 1], [2, 4]), x(2, 4)] },
  { op: 'MaxUnpool', what: 'k2 s2, output shape given', attrs: { kernel_shape: [2, 2], strides: [2, 2] }, inputs: [x(1, 2, 2, 2), i64([1, 2, 13, 15, 16, 22, 25, 31], [1, 2, 2, 2]), i64([1, 2, 4, 4])] },
  { op: 'MaxUnpool', what: 'pads (0,0,1,1), odd size', attrs: { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 1, 1] }, inputs: [x(1, 1, 2, 2), i64([4, 2, 6, 8], [1, 1, 2, 2]), i64([1, 1, 3, 3])] },
  { op: 'ScatterElements', what: 'axis 1, add with duplicates', attrs: { axis: 1, reduction: 'add' }, inputs: [x(3, 4), i64([0, 0, 3, 1, -1, 1, 2, 2, 0], [3, 3]), x(3, 3)] },
  // pools
  { op: 'MaxPool', what: '2x2 stride 2, Indices', attrs: { kernel_shape: [2, 2], strides: [2, 2] }, inputs: [x(2, 2, 6, 6)], outputs: [F, I] },
  { op: 'MaxPool', what: '3x3 stride 2 pads 1 ceil_mode, Indices', attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 }, inputs: [x(1, 2, 8, 7)], outputs: [F, I] },
  { op: 'MaxPool', what: 'ceil_mode drops a window in the trailing pad', attrs: { kernel_shape: [3, 3], strides: [3, 3], pads: [1, 1, 1, 1], ceil_mode: 1 }, inputs: [x(1, 2, 5, 5)], outputs: [F, I] },
  { op: 'MaxPool', what: 'dilations 2, asymmetric pads, Indices', attrs: { kernel_shape: [2, 3], dilations: [2, 2], pads: [1, 0, 0, 2] }, inputs: [x(2, 3, 6, 5)], outputs: [F, I] },
  { op: 'MaxPool', what: '5x5 stride 1 pad 2 (SPPF)', attrs: { kernel_shape: [5, 5], pads: [2, 2, 2, 2] }, inputs: [x(1, 2, 6, 6)] },
  { op: 'MaxPool', what: 'SAME_UPPER', attrs: { kernel_shape: [2, 2], strides: [2, 2], auto_pad: 'SAME_UPPER' }, inputs: [x(1, 2, 5, 5)] },
  { op: 'MaxPool', what: 'ties: first maximum wins', attrs: { kernel_shape: [2, 2], strides: [1, 1] }, inputs: [vals([1, 1, 0, 1, 1, 2, 0, 2, 2], [1, 1, 3, 3])], outputs: [F, I] },
  { op: 'AveragePool', what: 'pads, count_include_pad 0', attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }, inputs: [x(2, 2, 7, 6)] },
  { op: 'AveragePool', what: 'pads, count_include_pad 1', attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1 }, inputs: [x(2, 2, 7, 6)] },
  { op: 'AveragePool', what: 'ceil_mode overhang, count_include_pad 1', attrs: { kernel_shape: [3, 2], strides: [2, 2], pads: [1, 0, 1, 0], ceil_mode: 1, count_include_pad: 1 }, inputs: [x(1, 2, 6, 5)] },
  { op: 'AveragePool', what: 'ceil_mode overhang, count_include_pad 0', attrs: { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }, inputs: [x(1, 2, 6, 6)] },
  { op: 'GlobalAveragePool', inputs: [x(2, 3, 4, 5)] },
  { op: 'GlobalMaxPool', inputs: [x(2, 3, 4, 5)] },
  // Resize
  { op: 'Resize', what: 'nearest asymmetric floor x2', attrs: { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }, inputs: [x(1, 2, 3, 4), f32([], [0]), f32([1, 1, 2, 2])] },
  { op: 'Resize', what: 'nearest half_pixel round_prefer_floor', inputs: [x(1, 2, 3, 4), null, f32([1, 1, 2, 3])] },
  { op: 'Resize', what: 'nearest half_pixel round_prefer_ceil x1.5 x2.5', attrs: { nearest_mode: 'round_prefer_ceil' }, inputs: [x(2, 1, 3, 4), null, f32([1, 1, 1.5, 2.5])] },
  { op: 'Resize', what: 'nearest align_corners ceil, sizes', attrs: { coordinate_transformation_mode: 'align_corners', nearest_mode: 'ceil' }, inputs: [x(1, 2, 3, 4), null, null, i64([1, 2, 5, 7])] },
  { op: 'Resize', what: 'nearest pytorch_half_pixel floor, downsample', attrs: { coordinate_transformation_mode: 'pytorch_half_pixel', nearest_mode: 'floor' }, inputs: [x(1, 2, 4, 6), null, f32([1, 1, 0.5, 0.5])] },
  { op: 'Resize', what: 'nearest tf_half_pixel_for_nn', attrs: { coordinate_transformation_mode: 'tf_half_pixel_for_nn' }, inputs: [x(1, 2, 3, 4), null, f32([1, 1, 2, 1.5])] },
  { op: 'Resize', what: 'linear half_pixel x2', attrs: { mode: 'linear' }, inputs: [x(1, 2, 3, 4), null, f32([1, 1, 2, 2])] },
  { op: 'Resize', what: 'linear half_pixel downsample', attrs: { mode: 'linear' }, inputs: [x(1, 2, 4, 4), null, f32([1, 1, 0.5, 0.75])] },
  { op: 'Resize', what: 'linear asymmetric', attrs: { mode: 'linear', coordinate_transformation_mode: 'asymmetric' }, inputs: [x(1, 2, 3, 4), null, f32([1, 1, 2.5, 1.5])] },
  { op: 'Resize', what: 'linear align_corners, sizes', attrs: { mode: 'linear', coordinate_transformation_mode: 'align_corners' }, inputs: [x(2, 1, 3, 4), null, null, i64([2, 1, 5, 9])] },
  { op: 'Resize', what: 'linear pytorch_half_pixel, sizes with a unit axis', attrs: { mode: 'linear', coordinate_transformation_mode: 'pytorch_half_pixel' }, inputs: [x(1, 2, 3, 4), null, null, i64([1, 2, 1, 7])] },
  // linear algebra and reductions
  { op: 'Gemm', inputs: [x(3, 4), x(4, 5), x(5)] },
  { op: 'Gemm', what: 'transA', attrs: { transA: 1 }, inputs: [x(4, 3), x(4, 5), x(3, 5)] },
  { op: 'Gemm', what: 'transB, no C', attrs: { transB: 1 }, inputs: [x(3, 4), x(5, 4)] },
  { op: 'Gemm', what: 'transA transB alpha beta, C column', attrs: { transA: 1, transB: 1, alpha: 0.5, beta: 2.5 }, inputs: [x(4, 3), x(5, 4), x(3, 1)] },
  { op: 'Gemm', what: 'scalar C', attrs: { beta: -0.5 }, inputs: [x(2, 3), x(3, 2), x(1)] },
  { op: 'MatMul', inputs: [x(3, 4), x(4, 5)] },
  { op: 'MatMul', what: 'batch x matrix', inputs: [x(2, 3, 4), x(4, 5)] },
  { op: 'MatMul', what: 'batch broadcast', inputs: [x(2, 1, 3, 4), x(3, 4, 2)] },
  { op: 'MatMul', what: 'vector x batch', inputs: [x(4), x(2, 4, 3)] },
  { op: 'MatMul', what: 'batch x vector', inputs: [x(2, 3, 4), x(4)] },
  { op: 'MatMul', what: 'vector x vector', inputs: [x(4), x(4)] },
  { op: 'ReduceSum', inputs: [x(2, 3, 4), i64([1])] },
  { op: 'ReduceSum', what: 'axes 0,-1, keepdims 0', attrs: { keepdims: 0 }, inputs: [x(2, 3, 4), i64([0, -1])] },
  { op: 'ReduceSum', what: 'all axes', attrs: { keepdims: 0 }, inputs: [x(2, 3, 4)] },
  { op: 'ReduceSum', what: 'noop_with_empty_axes', attrs: { noop_with_empty_axes: 1 }, inputs: [x(2, 3, 4)] },
  { op: 'ReduceMean', attrs: { axes: [2, 3] }, inputs: [x(2, 3, 4, 5)] },
  { op: 'ReduceMean', what: 'axis -1, keepdims 0', attrs: { axes: [-1], keepdims: 0 }, inputs: [x(2, 3, 4)] },
  { op: 'ReduceMean', what: 'all axes', inputs: [x(2, 3, 4)] },
  { op: 'ReduceSumSquare', attrs: { axes: [0, 2, 3] }, inputs: [x(2, 3, 4, 5)] },
  { op: 'ReduceSumSquare', what: 'axis -1, keepdims 0', attrs: { axes: [-1], keepdims: 0 }, inputs: [x(2, 3, 4)] },
];

const rng = mulberry32(17);
const inputName = (i: number) => `in${i}`;

/** The one-node model of a case, with its feeds for onnxruntime and for run64. */
function build(c: Case) {
  const names: string[] = [], inputs: ValueInfoProto[] = [], inits: TensorProto[] = [], feeds: Record<string, ort.Tensor> = {}, feeds64: Record<string, T64> = {};
  for (const [i, spec] of c.inputs.entries()) {
    const name = spec ? inputName(i) : '';
    names.push(name);
    if (!spec) continue;
    if ('i64' in spec) { inits.push(tensor(name, spec.dims, BigInt64Array.from(spec.i64, (v) => BigInt(v)))); continue; }
    if ('f32' in spec) { inits.push(tensor(name, spec.dims, Float32Array.from(spec.f32))); continue; }
    const dims = 'vals' in spec ? spec.dims : 'bool' in spec ? spec.bool : spec.rand;
    const n = dims.reduce((a, d) => a * d, 1);
    if ('bool' in spec) {
      const v = Uint8Array.from({ length: n }, () => (rng() < 0.5 ? 1 : 0));
      feeds[name] = new ort.Tensor('bool', v, dims);
      feeds64[name] = { dims, data: Float64Array.from(v) };
      inputs.push(valueInfo(name, B, dims));
      continue;
    }
    const lo = 'rand' in spec ? spec.lo ?? -2 : 0, hi = 'rand' in spec ? spec.hi ?? 2 : 0;
    const v = 'vals' in spec ? Float32Array.from(spec.vals) : Float32Array.from({ length: n }, () => lo + (hi - lo) * rng());
    feeds[name] = new ort.Tensor('float32', v, dims);
    feeds64[name] = { dims, data: Float64Array.from(v) };
    inputs.push(valueInfo(name, F, dims));
  }
  const types = c.outputs ?? [F], outs = types.map((_, k) => `out${k}`);
  const m = model(graph(c.op, [node(c.op, names, outs, c.attrs ?? {}, 'n')], inputs,
    outs.map((o, k) => valueInfo(o, types[k]!, [])), inits), { opset: 17, irVersion: 8n });
  return { m, feeds, feeds64, outs };
}

const worst = new Map<string, number>();
const note = (op: string, e: number) => worst.set(op, Math.max(worst.get(op) ?? 0, e));

const numbers = (t: ort.Tensor): number[] => Array.from(t.data as ArrayLike<number | bigint>, Number);

for (const c of cases) {
  test(`ref64 ${c.op}${c.what ? ` (${c.what})` : ''} agrees with onnxruntime`, async () => {
    const { m, feeds, feeds64, outs } = build(c);
    const ref = run64(m, feeds64);
    // the outputs typed with the shapes run64 found, so onnxruntime checks them too
    const types = c.outputs ?? [F];
    m.graph!.output = outs.map((o, k) => valueInfo(o, types[k]!, ref.get(o)?.dims ?? []));
    const session = await createSession(m);
    const got = await session.run(feeds);
    await session.release();
    for (const o of outs) {
      const r = ref.get(o)!, g = got[o]!;
      assert.deepEqual(r.dims, [...g.dims], `${o}: shape`);
      const e = relativeError(r.data, numbers(g));
      note(c.op, e);
      assert.ok(e <= 1e-5, `${o}: relative error ${e}\n ort ${numbers(g).slice(0, 12)}\n ref ${Array.from(r.data.slice(0, 12))}`);
    }
  });
}

for (const [name, size] of [['micro-yolo', 32], ['yolov5n', 32], ['yolov3-tiny', 32], ['ssd-lite', 64]] as const) {
  test(`ref64 runs zoo ${name} (batch 2, ${size}x${size}) as onnxruntime does`, async () => {
    const m = zooByName.get(name)!.build({ size, classes: 2, seed: 1 });
    const dims = [2, 3, size, size], v = Float32Array.from({ length: 6 * size * size }, () => rng());
    const session = await createSession(m);
    const got = await session.run({ images: new ort.Tensor('float32', v, dims) });
    await session.release();
    const ref = run64(m, { images: { dims, data: Float64Array.from(v) } });
    for (const o of m.graph!.output) {
      const r = ref.get(o.name)!;
      assert.deepEqual(r.dims, [...got[o.name]!.dims]);
      const e = relativeError(r.data, numbers(got[o.name]!));
      note(`zoo ${name}`, e);
      assert.ok(e <= 1e-4, `${o.name}: relative error ${e}`);
    }
  });
}

test('every implemented op is in the table', () => {
  const tested = new Set([...cases.map((c) => c.op)]);
  assert.deepEqual([...ops.keys()].filter((op) => !tested.has(op)), []);
});

test('run64 names the node and op it has no implementation for', () => {
  const m = model(graph('g', [node('Relu', ['x'], ['y'], {}, 'r'), node('NonMaxSuppression', ['y'], ['z'], {}, 'nms')],
    [valueInfo('x', F, [2])], [valueInfo('z', F, [2])]), { opset: 17 });
  assert.throws(() => run64(m, { x: { dims: [2], data: Float64Array.of(1, -1) } }), /'nms'.*NonMaxSuppression/);
});

test('run64 returns feeds, initializers and every node output; a feed replaces an initializer', () => {
  const m = model(graph('g', [node('Mul', ['x', 'w'], ['y'], {}, 'm'), node('Reshape', ['y', 's'], ['z'], {}, 'r')],
    [valueInfo('x', F, [2])], [valueInfo('z', F, [1, 2])],
    [tensor('w', [2], Float32Array.of(0.5, 3)), tensor('s', [2], BigInt64Array.of(1n, -1n))]), { opset: 17 });
  const r = run64(m, { x: { dims: [2], data: Float64Array.of(2, 1 / 3) } });
  assert.deepEqual([...r.keys()].sort(), ['s', 'w', 'x', 'y', 'z']);
  assert.deepEqual([r.get('z')!.dims, [...r.get('z')!.data]], [[1, 2], [1, 1]]);
  assert.deepEqual([...r.get('s')!.data], [1, -1]);
  const r2 = run64(m, { x: { dims: [2], data: Float64Array.of(2, 1) }, w: { dims: [2], data: Float64Array.of(0.1, 0.2) } });
  assert.deepEqual([...r2.get('z')!.data], [0.2, 0.2]);
});

test('centralDifference matches an analytic gradient through run64 and leaves the data as it was', () => {
  // L = sum(sigmoid(x) * x^2)
  const m = model(graph('g', [node('Sigmoid', ['x'], ['s'], {}, 's'), node('Mul', ['x', 'x'], ['q'], {}, 'q'), node('Mul', ['s', 'q'], ['y'], {}, 'y'),
    node('ReduceSum', ['y'], ['l'], { keepdims: 0 }, 'l')], [valueInfo('x', F, [5])], [valueInfo('l', F, [])]), { opset: 17 });
  const xv = { dims: [5], data: Float64Array.of(-1.5, -0.2, 0, 0.7, 2) }, before = xv.data.slice();
  const g = centralDifference(() => run64(m, { x: xv }).get('l')!.data[0]!, xv.data, [0, 1, 2, 3, 4]);
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const want = Array.from(before, (v) => sig(v) * (1 - sig(v)) * v * v + 2 * v * sig(v));
  assert.deepEqual(xv.data, before);
  assert.ok(relativeError(g, want) < 1e-8, `${relativeError(g, want)}`);
  assert.equal(relativeError([1, 2], [1, 2]), 0);
  assert.ok(Math.abs(relativeError([3, 0], [0, 4]) - 5 / 4) < 1e-15);
});

test('largest relative differences from onnxruntime', (t) => {
  for (const [op, e] of [...worst].sort(([a], [b]) => (a < b ? -1 : 1))) t.diagnostic(`${op}: ${e.toExponential(2)}`);
});
