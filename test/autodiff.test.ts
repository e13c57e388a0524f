// Gradient checks of the autodiff engine against float64 central differences (test/support/ref64):
//   - every gradient rule on one-node models from a table (Conv in each of its dX/dW forms), the backward graph
//     run in onnxruntime, the loss L = Σ Y·R for a fixed random R;
//   - whole training graphs of zoo models (BN training and frozen), and the YOLO loss, weight by weight;
//   - an op without a rule fails with an error naming its node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { create } from '@bufbuild/protobuf';
import { ValueInfoProtoSchema, type NodeProto, type TensorProto, type ValueInfoProto } from 'onnx-buf';
import { attr, DataType, graph, model, node, tensor, valueInfo, type AttrValue } from '../src/onnx/make.ts';
import { tensorValues } from '../src/onnx/tensor.ts';
import { createSession } from '../src/runtime/session.ts';
import { buildBackward, type Backward } from '../src/train/autodiff/backward.ts';
import { Emitter, float, Float } from '../src/train/autodiff/emit.ts';
import { gradRules } from '../src/train/autodiff/registry.ts';
import { AutodiffError, type GradOptions } from '../src/train/autodiff/types.ts';
import type { LossBuilder } from '../src/train/graph.ts';
import { yoloFeeds, yoloHeads, yoloLoss } from '../src/train/loss/yolo-loss.ts';
import type { HeadGeometry } from '../src/train/loss/yolo-targets.ts';
import { TrainingSession } from '../src/train/session.ts';
import { mulberry32 } from '../src/util/random.ts';
import { zooByName } from '../src/zoo/registry.ts';
import { from32, Reference64 } from './support/gradcheck.ts';
import { relativeError } from './support/ref64/fd.ts';
import { checkStep, type StepCheck } from './support/stepcheck.ts';
import { run64, type T64 } from './support/ref64/run.ts';

const { FLOAT: F, BOOL: B } = DataType;

// ---------------------------------------------------------------------------------------------------------
// One rule at a time

/** A node input: a random float graph input that is differentiated (`x`), one fed but not differentiated
 * (`fixed`: BN's running statistics), an initializer (floats, int64 or bool: shapes, axes, scales, bounds,
 * conditions), or an omitted optional input. */
type In =
  | { x: number[]; lo: number; hi: number }
  | { fixed: number[]; lo: number; hi: number }
  | { f32: number[]; dims: number[] }
  | { i64: (number | bigint)[]; dims: number[] }
  | { bool: number[] }
  | null;

interface Case {
  op: string;
  what?: string;
  attrs?: Record<string, AttrValue | Float>;
  inputs: In[];
  /** How many outputs the node has (1 when left out). */
  outputs?: number;
  /** The outputs the loss sums over (all when left out; MaxPool's Indices and BN's running statistics never). */
  loss?: number[];
  grad?: GradOptions;
  /** Round's straight-through estimator: the gradient is the identity's, not the (zero) derivative. */
  identity?: boolean;
}

const x = (...dims: number[]): In => ({ x: dims, lo: -2, hi: 2 });
const wide = (...dims: number[]): In => ({ x: dims, lo: -4, hi: 4 });
const pos = (...dims: number[]): In => ({ x: dims, lo: 0.5, hi: 3 });
const fixed = (lo: number, hi: number, ...dims: number[]): In => ({ fixed: dims, lo, hi });
const f32 = (v: number[], dims = [v.length]): In => ({ f32: v, dims });
const i64 = (v: (number | bigint)[], dims = [v.length]): In => ({ i64: v, dims });
const bool = (...dims: number[]): In => ({ bool: dims });
const MAX = 9223372036854775807n, MIN = -9223372036854775808n;

/** A Conv case in each of the dX and dW forms that apply (forcing one that does not apply falls back). */
function conv(what: string, attrs: Record<string, AttrValue>, inputs: In[], forms: GradOptions[]): Case[] {
  return forms.map((grad) => ({ op: 'Conv', what: `${what}; dx ${grad.dx ?? 'auto'}, dw ${grad.dw ?? 'auto'}`, attrs, inputs, grad }));
}
const ALL_FORMS: GradOptions[] = [{}, { dx: 'transpose', dw: 'trick' }, { dx: 'flip', dw: 'im2col' }, { dx: 'flip', dw: 'trick' }, { dx: 'transpose', dw: 'im2col' }];
const GROUPED_FORMS: GradOptions[] = [{}, { dx: 'transpose', dw: 'trick' }, { dx: 'flip', dw: 'trick' }];
const POINTWISE_FORMS: GradOptions[] = [{}, { dx: 'transpose', dw: 'gemm' }, { dx: 'flip', dw: 'trick' }, { dx: 'flip', dw: 'im2col' }];

const cases: Case[] = [
  // convolutions
  ...conv('3x3 pad 1 bias', { pads: [1, 1, 1, 1] }, [x(2, 3, 6, 6), x(4, 3, 3, 3), x(4)], ALL_FORMS),
  ...conv('stride 2, asymmetric pads', { strides: [2, 2], pads: [1, 0, 2, 1] }, [x(1, 2, 7, 8), x(3, 2, 3, 3), x(3)], ALL_FORMS),
  ...conv('stride 2 no pads, trailing rows unused', { strides: [2, 2] }, [x(2, 2, 8, 7), x(3, 2, 3, 3)], ALL_FORMS),
  ...conv('dilation 2, asymmetric pads', { dilations: [2, 2], pads: [2, 1, 1, 2] }, [x(1, 2, 7, 7), x(3, 2, 3, 3), x(3)], ALL_FORMS),
  ...conv('dilation (2,1), stride (1,2)', { dilations: [2, 1], strides: [1, 2], pads: [1, 1, 1, 1] }, [x(1, 2, 7, 8), x(2, 2, 3, 3)], ALL_FORMS),
  ...conv('1x3 kernel, stride (2,1)', { strides: [2, 1], pads: [0, 1, 0, 1] }, [x(2, 2, 5, 6), x(3, 2, 1, 3)], ALL_FORMS),
  ...conv('group 2 stride (2,1)', { group: 2, strides: [2, 1] }, [x(1, 4, 5, 5), x(6, 2, 3, 3), x(6)], GROUPED_FORMS),
  ...conv('group 2 stride 1 pad 1', { group: 2, pads: [1, 1, 1, 1] }, [x(2, 4, 5, 5), x(4, 2, 3, 3)], GROUPED_FORMS),
  ...conv('depthwise pad 1', { group: 3, pads: [1, 1, 1, 1] }, [x(2, 3, 5, 5), x(3, 1, 3, 3), x(3)], GROUPED_FORMS),
  ...conv('depthwise stride 2 pad 1', { group: 3, strides: [2, 2], pads: [1, 1, 1, 1] }, [x(2, 3, 6, 6), x(3, 1, 3, 3)], GROUPED_FORMS),
  ...conv('depthwise multiplier 2', { group: 3, pads: [1, 0, 1, 0] }, [x(1, 3, 5, 4), x(6, 1, 3, 3), x(6)], GROUPED_FORMS),
  ...conv('1x1 bias', {}, [x(2, 3, 4, 5), x(5, 3, 1, 1), x(5)], POINTWISE_FORMS),
  ...conv('1x1 stride 2', { strides: [2, 2] }, [x(2, 3, 5, 5), x(4, 3, 1, 1)], ALL_FORMS),
  ...conv('1x1 pad 1 (pads beyond the kernel)', { pads: [1, 1, 1, 1] }, [x(1, 3, 3, 4), x(2, 3, 1, 1)], ALL_FORMS),
  // normalisation
  { op: 'BatchNormalization', what: 'training_mode 1', attrs: { training_mode: 1, epsilon: 1e-3, momentum: 0.7 }, inputs: [x(2, 3, 4, 4), x(3), x(3), fixed(-1, 1, 3), fixed(0.5, 2, 3)], outputs: 3, loss: [0] },
  { op: 'BatchNormalization', what: 'training_mode 1, 2x2 maps', attrs: { training_mode: 1 }, inputs: [x(3, 2, 2, 2), x(2), x(2), fixed(-1, 1, 2), fixed(0.5, 2, 2)], outputs: 3, loss: [0] },
  { op: 'BatchNormalization', what: 'inference (frozen)', attrs: { epsilon: 0.01 }, inputs: [x(2, 3, 4, 4), x(3), x(3), f32([0.3, -0.2, 0.1]), f32([0.5, 1.5, 2.5])] },
  { op: 'Softmax', inputs: [x(2, 3, 4)] },
  { op: 'Softmax', what: 'axis 1', attrs: { axis: 1 }, inputs: [x(2, 3, 4)] },
  { op: 'Softmax', what: 'axis 0', attrs: { axis: 0 }, inputs: [x(2, 3, 4)] },
  // elementwise
  ...['Abs', 'Atan', 'Exp', 'Identity', 'Neg', 'Relu', 'Sigmoid', 'Softplus', 'Tanh'].map((op): Case => ({ op, inputs: [x(2, 3, 4)] })),
  { op: 'HardSwish', inputs: [wide(2, 3, 5)] },
  { op: 'HardSigmoid', inputs: [wide(2, 3, 5)] },
  { op: 'HardSigmoid', what: 'alpha 0.5 beta 0.2', attrs: { alpha: 0.5, beta: 0.2 }, inputs: [wide(2, 3, 5)] },
  { op: 'LeakyRelu', inputs: [x(2, 3, 4)] },
  { op: 'LeakyRelu', what: 'alpha 0.1', attrs: { alpha: 0.1 }, inputs: [x(2, 3, 4)] },
  { op: 'Log', inputs: [pos(2, 3, 4)] },
  { op: 'Sqrt', inputs: [pos(2, 3, 4)] },
  { op: 'Round', what: 'straight-through', inputs: [x(2, 3, 4)], identity: true },
  { op: 'Clip', what: 'min and max inputs', inputs: [x(2, 3, 4), f32([-0.5], []), f32([0.7], [])] },
  { op: 'Clip', what: 'max only', inputs: [x(2, 3, 4), null, f32([0.3], [])] },
  { op: 'Clip', what: 'min only', inputs: [x(2, 3, 4), f32([-0.3], [])] },
  { op: 'Clip', what: 'no bounds', inputs: [x(2, 3, 4)] },
  { op: 'Add', what: 'broadcast (4)', inputs: [x(2, 3, 4), x(4)] },
  { op: 'Add', what: 'both broadcast', inputs: [x(2, 1, 4), x(3, 1)] },
  { op: 'Add', what: 'same shapes', inputs: [x(3, 4), x(3, 4)] },
  { op: 'Sub', what: 'both broadcast', inputs: [x(2, 1, 4), x(3, 1)] },
  { op: 'Sub', what: 'scalar', inputs: [x(3, 4), x()] },
  { op: 'Mul', what: 'per channel', inputs: [x(2, 3, 4, 5), x(1, 3, 1, 1)] },
  { op: 'Mul', what: 'both broadcast', inputs: [x(3, 1, 2), x(1, 4, 1)] },
  { op: 'Div', what: 'by a column', inputs: [x(3, 4), pos(3, 1)] },
  { op: 'Div', what: 'a row by a tensor', inputs: [x(4), pos(2, 3, 4)] },
  { op: 'Max', what: 'broadcast', inputs: [x(2, 3, 4), x(3, 1)] },
  { op: 'Min', what: 'broadcast', inputs: [x(2, 3, 4), x(1, 4)] },
  { op: 'Sum', what: 'three inputs, broadcast', inputs: [x(3, 4), x(4), x(3, 1)] },
  { op: 'Where', what: 'broadcast', inputs: [bool(3, 1), x(3, 4), x(4)] },
  { op: 'Where', what: 'same shapes', inputs: [bool(2, 3), x(2, 3), x(2, 3)] },
  // shapes and layout
  { op: 'Reshape', inputs: [x(2, 3, 4), i64([4, -1, 2])] },
  { op: 'Reshape', what: '0 copies', inputs: [x(2, 3, 4), i64([0, -1])] },
  { op: 'Flatten', inputs: [x(2, 3, 2, 2)] },
  { op: 'Flatten', what: 'axis 2', attrs: { axis: 2 }, inputs: [x(2, 3, 2, 2)] },
  { op: 'Squeeze', inputs: [x(2, 1, 3, 1), i64([1, 3])] },
  { op: 'Unsqueeze', inputs: [x(2, 3), i64([0, -1])] },
  { op: 'Transpose', attrs: { perm: [0, 2, 3, 1] }, inputs: [x(2, 3, 4, 2)] },
  { op: 'Transpose', what: 'default perm', inputs: [x(2, 3, 4)] },
  { op: 'Concat', what: 'axis 1, three inputs', attrs: { axis: 1 }, inputs: [x(2, 1, 3), x(2, 4, 3), x(2, 2, 3)] },
  { op: 'Concat', what: 'axis -1', attrs: { axis: -1 }, inputs: [x(2, 3), x(2, 1)] },
  { op: 'Split', what: 'sizes, axis 1', attrs: { axis: 1 }, inputs: [x(2, 4, 3), i64([1, 3])], outputs: 2 },
  { op: 'Split', what: 'equal parts, axis 2', attrs: { axis: 2 }, inputs: [x(2, 3, 6)], outputs: 3 },
  { op: 'Split', what: 'only the second output used', attrs: { axis: 0 }, inputs: [x(5, 3), i64([2, 3])], outputs: 2, loss: [1] },
  { op: 'Split', what: 'only the first of three used', attrs: { axis: 1 }, inputs: [x(2, 6), i64([1, 2, 3])], outputs: 3, loss: [0] },
  { op: 'Slice', what: 'unit step', inputs: [x(4, 5), i64([1]), i64([3]), i64([1])] },
  { op: 'Slice', what: 'no axes or steps, clamped end', inputs: [x(3, 4), i64([1, -3]), i64([3, MAX])] },
  { op: 'Slice', what: 'step 2 on H and W (Focus)', inputs: [x(1, 2, 4, 6), i64([0, 1]), i64([MAX, MAX]), i64([2, 3]), i64([2, 2])] },
  { op: 'Slice', what: 'reverse', inputs: [x(4, 5), i64([-1]), i64([MIN]), i64([0]), i64([-1])] },
  { op: 'Slice', what: 'negative steps and clamping', inputs: [x(3, 7, 6), i64([10, -2, 1]), i64([-100, 0, MAX]), i64([1, 2, -3]), i64([-2, -3, 2])] },
  { op: 'Pad', what: 'constant', inputs: [x(1, 2, 3, 3), i64([0, 0, 1, 2, 0, 0, 2, 1])] },
  { op: 'Pad', what: 'constant value', inputs: [x(2, 3, 4), i64([1, 0, 2, 0, 1, 1]), f32([0.5], [])] },
  // pools
  { op: 'MaxPool', what: 'k3 s1 pads 1 (overlapping)', attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, inputs: [x(2, 2, 5, 5)], outputs: 2, loss: [0] },
  { op: 'MaxPool', what: 'k2 s2', attrs: { kernel_shape: [2, 2], strides: [2, 2] }, inputs: [x(2, 2, 6, 6)], outputs: 2, loss: [0] },
  { op: 'MaxPool', what: 'k2 s2 pads (0,0,1,1), odd size', attrs: { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 1, 1] }, inputs: [x(1, 3, 5, 5)], outputs: 2, loss: [0] },
  { op: 'MaxPool', what: 'k2 s1 pads (0,0,1,1) (yolov3-tiny)', attrs: { kernel_shape: [2, 2], pads: [0, 0, 1, 1] }, inputs: [x(2, 2, 4, 4)], outputs: 2, loss: [0] },
  { op: 'MaxPool', what: 'k5 s1 pads 2 (SPPF)', attrs: { kernel_shape: [5, 5], pads: [2, 2, 2, 2] }, inputs: [x(1, 2, 6, 6)], outputs: 2, loss: [0] },
  { op: 'AveragePool', what: 'k3 s2 pads 1, count_include_pad 0', attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }, inputs: [x(2, 2, 7, 6)] },
  { op: 'AveragePool', what: 'k3 s2 pads 1, count_include_pad 1', attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1 }, inputs: [x(2, 2, 7, 6)] },
  { op: 'AveragePool', what: 'k2 s2', attrs: { kernel_shape: [2, 2], strides: [2, 2] }, inputs: [x(1, 3, 4, 6)] },
  { op: 'GlobalAveragePool', inputs: [x(2, 3, 4, 5)] },
  // Resize
  { op: 'Resize', what: 'nearest asymmetric floor x2 (fast path)', attrs: { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }, inputs: [x(2, 2, 3, 4), f32([], [0]), f32([1, 1, 2, 2])] },
  { op: 'Resize', what: 'nearest asymmetric floor x(2,3), sizes', attrs: { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }, inputs: [x(1, 2, 3, 2), null, null, i64([1, 2, 6, 6])] },
  { op: 'Resize', what: 'nearest half_pixel round_prefer_floor x(2,1.5)', inputs: [x(1, 2, 3, 4), null, f32([1, 1, 2, 1.5])] },
  { op: 'Resize', what: 'linear half_pixel x2', attrs: { mode: 'linear' }, inputs: [x(1, 2, 3, 4), null, f32([1, 1, 2, 2])] },
  { op: 'Resize', what: 'linear half_pixel x(1.5,2.5)', attrs: { mode: 'linear' }, inputs: [x(2, 1, 3, 4), null, f32([1, 1, 1.5, 2.5])] },
  { op: 'Resize', what: 'linear align_corners, sizes', attrs: { mode: 'linear', coordinate_transformation_mode: 'align_corners' }, inputs: [x(2, 1, 3, 4), null, null, i64([2, 1, 5, 9])] },
  { op: 'Resize', what: 'linear asymmetric x2', attrs: { mode: 'linear', coordinate_transformation_mode: 'asymmetric' }, inputs: [x(1, 2, 3, 3), null, f32([1, 1, 2, 2])] },
  // linear algebra and reductions
  { op: 'Gemm', what: 'C vector', inputs: [x(3, 4), x(4, 5), x(5)] },
  { op: 'Gemm', what: 'transA, full C', attrs: { transA: 1 }, inputs: [x(4, 3), x(4, 5), x(3, 5)] },
  { op: 'Gemm', what: 'transB, no C', attrs: { transB: 1 }, inputs: [x(3, 4), x(5, 4)] },
  { op: 'Gemm', what: 'transA transB alpha 0.5 beta 2.5, C column', attrs: { transA: 1, transB: 1, alpha: 0.5, beta: 2.5 }, inputs: [x(4, 3), x(5, 4), x(3, 1)] },
  { op: 'Gemm', what: 'alpha 2.0 (a float attribute), beta -0.5, scalar C', attrs: { alpha: float(2), beta: -0.5 }, inputs: [x(2, 3), x(3, 2), x(1)] },
  { op: 'MatMul', what: '2-D', inputs: [x(3, 4), x(4, 5)] },
  { op: 'MatMul', what: 'batch x 2-D weight', inputs: [x(2, 3, 4), x(4, 5)] },
  { op: 'MatMul', what: 'batch broadcast both ways', inputs: [x(2, 1, 3, 4), x(3, 4, 2)] },
  { op: 'MatMul', what: 'A broadcast over B batch', inputs: [x(3, 4), x(2, 4, 3)] },
  { op: 'ReduceSum', what: 'axis 1 keepdims 1', inputs: [x(2, 3, 4), i64([1])] },
  { op: 'ReduceSum', what: 'axes 0,-1 keepdims 0', attrs: { keepdims: 0 }, inputs: [x(2, 3, 4), i64([0, -1])] },
  { op: 'ReduceSum', what: 'all axes keepdims 0', attrs: { keepdims: 0 }, inputs: [x(2, 3, 4)] },
  { op: 'ReduceSum', what: 'noop_with_empty_axes', attrs: { noop_with_empty_axes: 1 }, inputs: [x(2, 3, 4)] },
  { op: 'ReduceMean', what: 'axes 2,3 keepdims 1', attrs: { axes: [2, 3] }, inputs: [x(2, 3, 4, 5)] },
  { op: 'ReduceMean', what: 'axis -1 keepdims 0', attrs: { axes: [-1], keepdims: 0 }, inputs: [x(2, 3, 4)] },
  { op: 'ReduceMean', what: 'all axes keepdims 0', attrs: { keepdims: 0 }, inputs: [x(2, 3, 4)] },
];

const rng = mulberry32(23);
const uniform = (n: number, lo: number, hi: number) => Float32Array.from({ length: n }, () => lo + (hi - lo) * rng());
const numel = (dims: readonly number[]) => dims.reduce((a, d) => a * d, 1);
const nameOnly = (name: string) => create(ValueInfoProtoSchema, { name });

function oneNode(c: Case, attrs: Record<string, AttrValue | Float>, inputs: string[], outputs: string[]): NodeProto {
  const n = node(c.op, inputs, outputs, {}, 'n');
  n.attribute = Object.entries(attrs).map(([k, v]) => (v instanceof Float ? attr(k, v.v, true) : attr(k, v)));
  return n;
}

interface Built {
  fwd: NodeProto[];
  inits: TensorProto[];
  inputs: ValueInfoProto[];
  feeds: Record<string, Float32Array>;
  wrt: string[];
  dims: Map<string, number[]>;
  loss: string;
  /** R of each output in the loss (dL/dY). */
  r: Float32Array[];
  /** The forward and loss in float64. */
  reference: Reference64;
}

/** The one-node model of a case, with L = Σ_k ReduceSum(Y_k · R_k) over its loss outputs. */
function build(c: Case): Built {
  const names: string[] = [], inits: TensorProto[] = [], inputs: ValueInfoProto[] = [], feeds: Record<string, Float32Array> = {}, wrt: string[] = [];
  const dims = new Map<string, number[]>();
  for (const [i, spec] of c.inputs.entries()) {
    const name = spec ? `in${i}` : '';
    names.push(name);
    if (!spec) continue;
    if ('i64' in spec) inits.push(tensor(name, spec.dims, BigInt64Array.from(spec.i64, (v) => BigInt(v))));
    else if ('f32' in spec) inits.push(tensor(name, spec.dims, Float32Array.from(spec.f32)));
    else if ('bool' in spec) inits.push(tensor(name, spec.bool, Uint8Array.from({ length: numel(spec.bool) }, () => (rng() < 0.5 ? 1 : 0)), B));
    else {
      const d = 'x' in spec ? spec.x : spec.fixed;
      feeds[name] = uniform(numel(d), spec.lo, spec.hi);
      inputs.push(valueInfo(name, F, d));
      dims.set(name, d);
      if ('x' in spec) wrt.push(name);
    }
  }
  const outs = Array.from({ length: c.outputs ?? 1 }, (_, k) => `y${k}`);
  const fwd = [oneNode(c, c.attrs ?? {}, names, outs)];
  const fed = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, from32(dims.get(k)!, v)]));
  // the outputs' shapes, from a float64 run of the node alone
  for (const [k, v] of run64(model(graph('f', fwd, inputs, [], inits), { opset: 17 }), fed)) dims.set(k, v.dims);
  const e = new Emitter('loss:');
  const r: Float32Array[] = [];
  const parts = (c.loss ?? outs.map((_, k) => k)).map((k) => {
    const y = outs[k]!, d = dims.get(y)!;
    r.push(uniform(numel(d), -1, 1));
    return e.op1('ReduceSum', [e.op1('Mul', [y, e.floats(r[r.length - 1]!, d)])], { keepdims: 0 });
  });
  const loss = parts.length > 1 ? e.op1('Sum', parts) : parts[0]!;
  fwd.push(...e.nodes);
  inits.push(...e.constants);
  const reference = new Reference64(model(graph('f', fwd, inputs, [], inits), { opset: 17 }), fed, loss);
  for (const [k, v] of reference.values) dims.set(k, v.dims);
  return { fwd, inits, inputs, feeds, wrt, dims, loss, r, reference };
}

/** The backward graph of a case's model. */
function backwardOf(b: Built, grad: GradOptions | undefined): Backward {
  const initByName = new Map(b.inits.map((t) => [t.name, t]));
  const shape = (v: string) => { const d = b.dims.get(v); if (!d) throw new Error(`no shape for '${v}'`); return d; };
  const constant = (v: string) => { const t = initByName.get(v); return t ? tensorValues(t) : undefined; };
  return buildBackward({ nodes: b.fwd, shape, constant }, b.loss, b.wrt, grad);
}

/** The gradients of the loss with respect to `wrt`, by the backward graph in onnxruntime. */
async function backwardInOrt(b: Built, grad: GradOptions | undefined): Promise<Map<string, ort.Tensor>> {
  const back = backwardOf(b, grad);
  for (const w of b.wrt) assert.ok(back.grads.has(w), `no gradient for ${w}`);
  const outputs = [...new Set(b.wrt.map((w) => back.grads.get(w)!))];
  const m = model(graph('g', [...b.fwd, ...back.nodes], b.inputs, outputs.map(nameOnly), [...b.inits, ...back.constants]), { opset: 17, irVersion: 8n });
  const session = await createSession(m);
  try {
    const feeds = Object.fromEntries(Object.entries(b.feeds).map(([k, v]) => [k, new ort.Tensor('float32', v, b.dims.get(k)!)]));
    const got = await session.run(feeds);
    return new Map(b.wrt.map((w) => [w, got[back.grads.get(w)!]!]));
  } finally {
    await session.release();
  }
}

const worst = new Map<string, number>();
const note = (key: string, e: number) => worst.set(key, Math.max(worst.get(key) ?? 0, e));
const label = (c: Case) => `${c.op}${c.what ? ` (${c.what})` : ''}`;

for (const c of cases) {
  test(`autodiff ${label(c)}: gradients match float64 central differences`, async (t) => {
    const b = build(c);
    const got = await backwardInOrt(b, c.grad);
    let worstHere = 0;
    if (c.identity) {
      const g = got.get(b.wrt[0]!)!;
      const e = relativeError(g.data as Float32Array, b.r[0]!);
      worstHere = e;
      assert.ok(e < 1e-6, `the straight-through gradient differs from the identity's: ${e}`);
    } else {
      for (const w of b.wrt) {
        const g = got.get(w)!;
        assert.deepEqual([...g.dims], b.dims.get(w), `${w}: gradient shape`);
        const fd = b.reference.gradient(w, Array.from({ length: numel(b.dims.get(w)!) }, (_, i) => i));
        const e = relativeError(g.data as Float32Array, fd);
        worstHere = Math.max(worstHere, e);
        assert.ok(e < 1e-4, `${w}: relative error ${e.toExponential(2)}\n ort ${Array.from(g.data as Float32Array).slice(0, 8)}\n fd  ${Array.from(fd.slice(0, 8))}`);
      }
    }
    note(c.op, worstHere);
    t.diagnostic(`worst relative error ${worstHere.toExponential(2)}`);
  });
}

// Central differences cannot see ties (the maximum is not differentiable there), and flat image regions make
// them common: each window's gradient must reach one input element (the first maximum, as onnxruntime's
// Indices and PyTorch pick), never every tied one.
for (const what of ['k2 s2', 'k3 s1 pads 1 (overlapping)']) {
  test(`autodiff MaxPool (${what}) over a constant input: each window's gradient reaches one element`, async () => {
    const c = cases.find((k) => label(k) === `MaxPool (${what})`)!;
    const b = build(c);
    const xName = b.wrt[0]!;
    b.feeds[xName] = new Float32Array(b.feeds[xName]!.length).fill(0.5);
    const dx = (await backwardInOrt(b, undefined)).get(xName)!.data as Float32Array;
    const r = b.r[0]!;
    const total = (v: ArrayLike<number>) => Array.from(v).reduce((a, t) => a + t, 0);
    assert.ok(Math.abs(total(dx) - total(r)) < 1e-4 * r.length, `Σ dX ${total(dx)} vs Σ dY ${total(r)}`);
    if (what === 'k2 s2') assert.equal(dx.filter((v) => v !== 0).length, r.length, 'one element per window');
  });
}

test('every gradient rule has a case', () => {
  const tested = new Set(cases.map((c) => c.op));
  assert.deepEqual(gradRules.map((r) => r.op).filter((op) => !tested.has(op)), []);
});

// Which form a case exercised, told by the ops its backward graph holds: dX by ConvTranspose (transpose) or a
// Conv (flip, the kernel reversed by a MatMul unless 1×1); dW by a Conv (trick), a Gemm over columns cut by
// Slice + Unsqueeze per tap (im2col), or a Gemm alone (pointwise); Resize's integer nearest upsample by a
// ReduceSum over blocks, not MatMuls; Slice with unit steps by Pad, other steps by ScatterElements; MaxPool
// with disjoint windows by MaxUnpool, overlapping ones by ScatterElements; BN in training mode's dX by an
// inference-mode BatchNormalization. Tied to how the variants are written: update with them.
test('the cases build the gradient forms they name (Conv dX and dW variants, Resize, Slice, MaxPool and BN fast paths)', () => {
  const expect: [string, Record<string, number>][] = [
    ['Conv (3x3 pad 1 bias; dx flip, dw im2col)', { ConvTranspose: 0, Conv: 1, Gemm: 1, Unsqueeze: 9, MatMul: 1 }],
    ['Conv (3x3 pad 1 bias; dx flip, dw trick)', { ConvTranspose: 0, Conv: 2, Gemm: 0 }],
    ['Conv (3x3 pad 1 bias; dx transpose, dw trick)', { ConvTranspose: 1, Conv: 1, Gemm: 0 }],
    ['Conv (3x3 pad 1 bias; dx transpose, dw im2col)', { ConvTranspose: 1, Conv: 0, Gemm: 1, Unsqueeze: 9 }],
    ['Conv (3x3 pad 1 bias; dx auto, dw auto)', { ConvTranspose: 0, Conv: 1, Gemm: 1, Unsqueeze: 9 }],
    ['Conv (stride 2, asymmetric pads; dx auto, dw auto)', { ConvTranspose: 1, Conv: 0, Gemm: 1 }],
    ['Conv (stride 2, asymmetric pads; dx flip, dw trick)', { ConvTranspose: 1, Conv: 1, Gemm: 0 }],
    ['Conv (1x1 pad 1 (pads beyond the kernel); dx flip, dw trick)', { ConvTranspose: 1, Conv: 1 }],
    ['Conv (group 2 stride 1 pad 1; dx auto, dw auto)', { ConvTranspose: 0, Conv: 2, Gemm: 0 }],
    ['Conv (group 2 stride 1 pad 1; dx transpose, dw trick)', { ConvTranspose: 1, Conv: 1 }],
    ['Conv (depthwise multiplier 2; dx flip, dw trick)', { ConvTranspose: 0, Conv: 2 }],
    ['Conv (1x1 bias; dx auto, dw auto)', { ConvTranspose: 0, Conv: 1, Gemm: 1, Unsqueeze: 0 }],
    ['Conv (1x1 bias; dx transpose, dw gemm)', { ConvTranspose: 1, Conv: 0, Gemm: 1, Unsqueeze: 0 }],
    ['Conv (1x1 bias; dx flip, dw im2col)', { ConvTranspose: 0, Conv: 1, Gemm: 1, Unsqueeze: 1, MatMul: 0 }],
    ['Resize (nearest asymmetric floor x2 (fast path))', { ReduceSum: 1, MatMul: 0 }],
    ['Resize (linear half_pixel x2)', { MatMul: 2 }],
    ['Slice (unit step)', { Pad: 1, ScatterElements: 0 }],
    ['Slice (step 2 on H and W (Focus))', { Pad: 0, ScatterElements: 1 }],
    ['MaxPool (k2 s2)', { MaxUnpool: 1, ScatterElements: 0 }],
    ['MaxPool (k2 s2 pads (0,0,1,1), odd size)', { MaxUnpool: 1, ScatterElements: 0 }],
    ['MaxPool (k3 s1 pads 1 (overlapping))', { MaxUnpool: 0, ScatterElements: 1 }],
    ['BatchNormalization (training_mode 1)', { BatchNormalization: 1 }],
    ['BatchNormalization (inference (frozen))', { BatchNormalization: 0 }],
  ];
  for (const [what, counts] of expect) {
    const c = cases.find((k) => label(k) === what);
    assert.ok(c, `no case ${what}`);
    const ops = backwardOf(build(c), c.grad).nodes.map((n) => n.opType);
    const got = Object.fromEntries(Object.keys(counts).map((op) => [op, ops.filter((o) => o === op).length]));
    assert.deepEqual(got, counts, `${what}: [${ops}]`);
  }
});

// ---------------------------------------------------------------------------------------------------------
// Whole training graphs
//
// Each check runs one training step in onnxruntime and compares, for a sample of weights, its float32
// gradients with float64 central differences of the training graph's forward (run64; relative error < 1e-3
// per tensor), and the same backward graph run in float64 with them too (< 1e-4; typically 1e-8, but central
// differences of a loss near 1 carry about 1e-10 of rounding, a lot next to a gradient near 1e-6): the second
// separates a wrong rule from float32 rounding, which BN in training mode over few values amplifies.
//
// At 32 px the stride-32 maps are 1x1, so a BN in training mode normalises N values per channel there. With
// N = 2 its output is ±1 up to epsilon and the loss is too ill-conditioned for float32: onnxruntime's forward
// and the float64 one differ by 1 % (micro-yolo) to 100 % (yolov3-tiny) in the loss, whatever the gradients.
// BN in training mode is checked at batch 4; frozen BN at batch 2. The loss must agree with run64's to 1e-5
// of Σ|out·R|: the weighted sum's terms of either sign cancel (to 1/7 of that scale), which a plain relative
// error would count against float32 (micro-yolo, BN training: 2e-6 of the scale, 1.4e-5 of the loss).

/** L = Σ over the model's outputs of ReduceSum(out · R_out), R_out fed. */
function weightedSum(b: LossBuilder): string {
  const e = b.emit;
  const parts = b.outputs.map((o) => e.op1('ReduceSum', [e.op1('Mul', [o, b.input(`R:${o}`, b.shape(o))])], { keepdims: 0 }));
  return parts.length > 1 ? e.op1('Sum', parts) : parts[0]!;
}

/** Σ |out · R_out|: the scale of a weighted sum, whose terms of either sign cancel. */
function weightedScale(values: Map<string, T64>, outputs: readonly string[]): number {
  let s = 0;
  for (const o of outputs) {
    const y = values.get(o)!.data, r = values.get(`R:${o}`)!.data;
    for (let i = 0; i < y.length; i++) s += Math.abs(y[i]! * r[i]!);
  }
  return s;
}

interface ZooCase extends StepCheck { model: string; bn: 'train' | 'frozen'; batch: number }
// project.beta is left out: a per-channel shift, through a 1x1 conv into BN in training mode, is undone by
// the batch mean, so its gradient is zero but for rounding
const MICRO = ['layers.000.weight', 'layers.002.dw.weight', 'layers.004.pw.gamma', 'layers.008.pw.weight', 'layers.010.se.reduce.bias',
  'layers.012.dw.weight', 'layers.012.se.expand.weight', 'layers.012.project.gamma', 'layers.013.weight', 'layers.018.weight', 'layers.021.dw.gamma', 'layers.015.weight'];
const TINY = ['layers.000.weight', 'layers.002.gamma', 'layers.004.weight', 'layers.008.beta', 'layers.010.weight', 'layers.012.weight',
  'layers.013.gamma', 'layers.014.weight', 'layers.018.weight', 'layers.021.weight', 'layers.022.weight'];
const zooCases: ZooCase[] = [
  { model: 'micro-yolo', bn: 'frozen', batch: 2, sampled: MICRO, whole: 'layers.022.bias' },
  { model: 'micro-yolo', bn: 'train', batch: 4, sampled: MICRO, whole: 'layers.022.bias' },
  { model: 'yolov3-tiny', bn: 'frozen', batch: 2, sampled: TINY, whole: 'layers.015.bias' },
  { model: 'yolov3-tiny', bn: 'train', batch: 4, sampled: TINY, whole: 'layers.015.bias' },
];

for (const c of zooCases) {
  test(`autodiff end to end: zoo ${c.model} (32 px, batch ${c.batch}, BN ${c.bn}): loss and weight gradients match float64`, async (t) => {
    const m = zooByName.get(c.model)!.build({ size: 32, classes: 2, seed: 1 });
    const session = await TrainingSession.create(m, { batch: c.batch, bn: c.bn, loss: weightedSum });
    try {
      const r = mulberry32(5);
      const feeds = Object.fromEntries(session.graph.feeds.map((f) => [f.name, Float32Array.from({ length: numel(f.shape) }, () => (f.name.startsWith('R:') ? 2 * r() - 1 : r()))]));
      const outputs = m.graph!.output.map((o) => o.name);
      await checkStep(t, session, feeds, { ...c, scale: (values) => weightedScale(values, outputs) });
    } finally {
      await session.release();
    }
  });
}

// BN frozen: batch 2 in training mode is ill-conditioned at 32 px (above); the zoo checks cover BN training
test('autodiff end to end: the YOLO loss on micro-yolo (32 px, batch 2, BN frozen, three boxes): loss and weight gradients match float64', async (t) => {
  const size = 32, batch = 2;
  const m = zooByName.get('micro-yolo')!.build({ size, classes: 2, seed: 1 });
  let heads: HeadGeometry[] = [];
  const session = await TrainingSession.create(m, { batch, bn: 'frozen', loss: (b) => { heads = yoloHeads(m, size, b.shape); return yoloLoss(b, heads, size, batch); } });
  try {
    const targets = [
      { boxes: Float32Array.of(4, 6, 24, 30, 1, 2, 30, 31), classes: Int32Array.of(1, 0) },
      { boxes: Float32Array.of(10, 8, 26, 28), classes: Int32Array.of(0) },
    ];
    const loss = yoloFeeds(heads, targets);
    for (const o of heads.map((h) => h.output)) assert.ok(loss[`target:${o}:pos`]!.some((v) => v > 0), `no positives at ${o}`);
    const r = mulberry32(9);
    const images = Float32Array.from({ length: batch * 3 * size * size }, () => r());
    await checkStep(t, session, { [session.graph.feeds[0]!.name]: images, ...loss }, {
      sampled: ['layers.000.weight', 'layers.006.pw.weight', 'layers.012.se.reduce.weight', 'layers.013.gamma', 'layers.021.pw.weight', 'layers.015.weight'],
      whole: 'layers.022.bias',
    });
  } finally {
    await session.release();
  }
});

// ---------------------------------------------------------------------------------------------------------
// Errors

test('an op without a gradient rule on the path to the loss is an AutodiffError naming the node and op', () => {
  const nodes = [node('Relu', ['x'], ['r'], {}, 'act'), node('Cos', ['r'], ['c'], {}, 'wave'), node('ReduceSum', ['c'], ['l'], { keepdims: 0 }, 'sum')];
  const shapes: Record<string, number[]> = { x: [2, 3], r: [2, 3], c: [2, 3], l: [] };
  const fwd = { nodes, shape: (v: string) => shapes[v]!, constant: () => undefined };
  assert.throws(() => buildBackward(fwd, 'l', ['x']), (e: unknown) => e instanceof AutodiffError && /'wave'/.test(e.message) && /Cos/.test(e.message));
  // off the path (nothing trained flows through it), the same node is no obstacle
  const aside = [node('Cos', ['k'], ['c2'], {}, 'wave'), node('Mul', ['x', 'c2'], ['m'], {}, 'mul'), node('ReduceSum', ['m'], ['l'], { keepdims: 0 }, 'sum')];
  const s2: Record<string, number[]> = { x: [2, 3], k: [2, 3], c2: [2, 3], m: [2, 3], l: [] };
  assert.ok(buildBackward({ nodes: aside, shape: (v) => s2[v]!, constant: () => undefined }, 'l', ['x']).grads.has('x'));
});

test('largest relative errors against central differences, per op', (t) => {
  for (const [op, e] of [...worst].sort(([a], [b]) => (a < b ? -1 : 1))) t.diagnostic(`${op}: ${e.toExponential(2)}`);
});
