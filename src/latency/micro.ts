// The micro-benchmarks `lithe target calibrate` times: single layers of the shapes detectors are made of
// (3x3 convs from early wide maps to late deep ones, 1x1 convs, depthwise convs, the 3-channel first conv),
// each a conv with bias and a LeakyRelu as darknet layers are after BatchNormalization folds, and two
// memory-bound ops (an Add of two maps, a MaxPool). Each one's kernel kind, MACs and bytes come from the same
// kernels.ts the predictions use, so the fitted factors mean what the predictor reads. A conv whose input and
// output channels agree is also built three times in a chain: the difference of the two timings is two
// layers without the run's fixed cost or, in int8, the quantization of the float input and output.
import type { ModelProto, NodeProto, TensorProto } from 'onnx-buf';
import { TensorProto_DataType as DT } from 'onnx-buf';
import { graph, model, node, tensor, valueInfo } from '../onnx/make.ts';

export interface MicroBench {
  id: string;
  /** Input side, input channels, output channels, kernel, groups; `op` for the memory-bound ones. */
  side: number; cin: number; cout: number; k: number; group: number;
  op?: 'Add' | 'MaxPool' | 'SiLU' | UnaryOp;
}

/** The element-wise ops timed alone: the compute-heavy activations of YOLOv4 (mish: Softplus, Tanh) and
 *  YOLOv5 (SiLU: Sigmoid) that onnxruntime's CPU kernels do not fuse into the conv before them. */
export const UNARY_OPS = ['HardSigmoid', 'Sigmoid', 'Softplus', 'Tanh'] as const;
export type UnaryOp = typeof UNARY_OPS[number];

const conv = (id: string, side: number, cin: number, cout: number, k: number, group = 1): MicroBench => ({ id, side, cin, cout, k, group });

export const MICRO_BENCHES: readonly MicroBench[] = [
  conv('conv3x3-3-to-32-at-208', 208, 3, 32, 3),
  conv('conv3x3-32-to-64-at-104', 104, 32, 64, 3),
  conv('conv3x3-64-at-52', 52, 64, 64, 3),
  conv('conv3x3-128-at-26', 26, 128, 128, 3),
  conv('conv3x3-256-at-13', 13, 256, 256, 3),
  conv('conv3x3-512-at-13', 13, 512, 512, 3),
  conv('conv1x1-32-at-104', 104, 32, 32, 1),
  conv('conv1x1-64-at-52', 52, 64, 64, 1),
  conv('conv1x1-64-to-128-at-52', 52, 64, 128, 1),
  conv('conv1x1-128-at-52', 52, 128, 128, 1),
  conv('conv1x1-256-at-26', 26, 256, 256, 1),
  conv('conv1x1-512-at-13', 13, 512, 512, 1),
  conv('depthwise3x3-64-at-104', 104, 64, 64, 3, 64),
  conv('depthwise3x3-128-at-52', 52, 128, 128, 3, 128),
  conv('depthwise3x3-256-at-26', 26, 256, 256, 3, 256),
  { id: 'add-64-at-104', side: 104, cin: 64, cout: 64, k: 1, group: 1, op: 'Add' },
  { id: 'maxpool-128-at-52', side: 52, cin: 128, cout: 128, k: 2, group: 1, op: 'MaxPool' },
  ...UNARY_OPS.map((op): MicroBench => ({ id: `${op.toLowerCase()}-64-at-104`, side: 104, cin: 64, cout: 64, k: 1, group: 1, op })),
  // x * Sigmoid(x): onnxruntime runs it as one QuickGelu kernel in float, so it is timed as one (yolov5n at
  // 640: 5.6 ms of QuickGelu where a standalone Sigmoid's rate, timed alone with the run's copies, said 13.1)
  { id: 'silu-64-at-104', side: 104, cin: 64, cout: 64, k: 1, group: 1, op: 'SiLU' },
];

/** Element-wise benchmarks: one unary op, or SiLU's Sigmoid and Mul. */
export const isElementwise = (op: NonNullable<MicroBench['op']>): boolean => op === 'SiLU' || (UNARY_OPS as readonly string[]).includes(op);

/** Deterministic small weights: timing does not depend on the values, quantization needs a spread. */
const weights = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 0.1);

/** `b` as a model, its conv `layers` times in a chain (channels in = out only). */
export function microModel(b: MicroBench, layers = 1): ModelProto {
  const x = valueInfo('x', DT.FLOAT, [1, b.cin, b.side, b.side]);
  if (b.op === 'Add') {
    const nodes = [node('Add', ['x', 'x2'], ['y'], {}, 'add')];
    return model(graph(b.id, nodes, [x, valueInfo('x2', DT.FLOAT, [1, b.cin, b.side, b.side])], [valueInfo('y', DT.FLOAT, [1, b.cin, b.side, b.side])]));
  }
  if (b.op && isElementwise(b.op)) {
    // `layers` of them in a chain: the difference of 3 and 1 is two ops without the run's copies in and out
    const v = (i: number) => (i < 0 ? 'x' : i === layers - 1 ? 'y' : `v${i}`);
    const nodes = Array.from({ length: layers }, (_, i) => (b.op === 'SiLU'
      ? [node('Sigmoid', [v(i - 1)], [`s${i}`], {}, `sig${i}`), node('Mul', [v(i - 1), `s${i}`], [v(i)], {}, `silu${i}`)]
      : [node(b.op!, [v(i - 1)], [v(i)], {}, `op${i}`)])).flat();
    return model(graph(b.id, nodes, [x], [valueInfo('y', DT.FLOAT, [1, b.cin, b.side, b.side])]));
  }
  if (b.op === 'MaxPool') {
    const nodes = [node('MaxPool', ['x'], ['y'], { kernel_shape: [2, 2], strides: [2, 2] }, 'pool')];
    return model(graph(b.id, nodes, [x], [valueInfo('y', DT.FLOAT, [1, b.cin, b.side / 2, b.side / 2])]));
  }
  const nodes = [];
  const inits = [];
  for (let i = 0; i < layers; i++) {
    const [x, y] = [i ? `y${i - 1}` : 'x', i === layers - 1 ? 'y' : `y${i}`];
    inits.push(tensor(`w${i}`, [b.cout, b.cin / b.group, b.k, b.k], weights(b.cout * (b.cin / b.group) * b.k * b.k, 1 + i)), tensor(`b${i}`, [b.cout], weights(b.cout, 2 + i)));
    nodes.push(
      node('Conv', [x, `w${i}`, `b${i}`], [`c${i}`], { kernel_shape: [b.k, b.k], pads: Array(4).fill(b.k >> 1), group: b.group }, `conv${i}`),
      node('LeakyRelu', [`c${i}`], [y], { alpha: 0.1 }, `act${i}`),
    );
  }
  return model(graph(b.id, nodes, [x], [valueInfo('y', DT.FLOAT, [1, b.cout, b.side, b.side])], inits));
}

/** A conv with bias and LeakyRelu from `input` (cin channels at side²) to `name` (cout channels). */
function convNodes(name: string, input: string, cin: number, cout: number, k: number, seed: number): { nodes: NodeProto[]; inits: TensorProto[] } {
  return {
    nodes: [
      node('Conv', [input, `${name}.w`, `${name}.b`], [`${name}.c`], { kernel_shape: [k, k], pads: Array(4).fill(k >> 1) }, `${name}.conv`),
      node('LeakyRelu', [`${name}.c`], [name], { alpha: 0.1 }, `${name}.act`),
    ],
    inits: [tensor(`${name}.w`, [cout, cin, k, k], weights(cout * cin * k * k, seed)), tensor(`${name}.b`, [cout], weights(cout, seed + 1))],
  };
}

/**
 * A 3-channel first conv inside a model (followed by a 3x3 conv), and that model without it. Alone,
 * onnxruntime times it with a change of layout (NCHW to its blocked NCHWc and back) that a model pays once;
 * the difference of the two does not. (Memory-bound ops timed this way came out near zero: the model without
 * them writes a larger output. They are timed alone.) Undefined for the other benchmarks.
 */
export function inContext(b: MicroBench): { with: ModelProto; without: ModelProto } | undefined {
  if (b.op || b.cin >= 8) return undefined;
  const first = convNodes('f', 'x', b.cin, b.cout, b.k, 1);
  const tail = convNodes('y', 'f', b.cout, b.cout, 3, 5);
  const out = valueInfo('y', DT.FLOAT, [1, b.cout, b.side, b.side]);
  return {
    with: model(graph(b.id, [...first.nodes, ...tail.nodes], [valueInfo('x', DT.FLOAT, [1, b.cin, b.side, b.side])], [out], [...first.inits, ...tail.inits])),
    without: model(graph(`${b.id}-base`, tail.nodes, [valueInfo('f', DT.FLOAT, [1, b.cout, b.side, b.side])], [out], tail.inits)),
  };
}
