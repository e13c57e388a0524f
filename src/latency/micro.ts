// The micro-benchmarks `lithe target calibrate` times: single layers of the shapes detectors are made of
// (3x3 convs from early wide maps to late deep ones, 1x1 convs, depthwise convs, the 3-channel first conv),
// each a conv with bias and a LeakyRelu as darknet layers are after BatchNormalization folds, and two
// memory-bound ops (an Add of two maps, a MaxPool). Each one's kernel kind, MACs and bytes come from the same
// kernels.ts the predictions use, so the fitted factors mean what the predictor reads. Each is timed inside a
// small model as a model has it (timedModel): the middle of a chain of three where it chains, else followed
// by a 1x1 conv, so that its input was just written (in cache) and, in int8, its output is quantized again;
// onnxruntime's profiler then times its kernels alone, without the layout changes and quantization of the
// model's float input and output.
import type { ModelProto } from 'onnx-buf';
import { TensorProto_DataType as DT } from 'onnx-buf';
import { graph, model, node, tensor, valueInfo } from '../onnx/make.ts';

export interface MicroBench {
  id: string;
  /** Input side, input channels, output channels, kernel, groups; `op` for the memory-bound ones. */
  side: number; cin: number; cout: number; k: number; group: number;
  op?: 'Add' | 'MaxPool' | 'SiLU' | UnaryOp;
  /** Timed for the fixed cost of a conv kernel beyond its multiply-adds (a tiny map), not for its rate. */
  fixed?: boolean;
  /** A conv's activation: LeakyRelu (darknet) unless told; Clip is ReLU6 (MobileNet, SSD-lite), SiLU is
   *  x * Sigmoid(x) (YOLOv5). */
  act?: 'Clip' | 'SiLU';
}

/** The element-wise ops timed alone: the compute-heavy activations of YOLOv4 (mish: Softplus, Tanh) and
 *  YOLOv5 (SiLU: Sigmoid) that onnxruntime's CPU kernels do not fuse into the conv before them. */
export const UNARY_OPS = ['HardSigmoid', 'Sigmoid', 'Softplus', 'Tanh'] as const;
export type UnaryOp = typeof UNARY_OPS[number];

const conv = (id: string, side: number, cin: number, cout: number, k: number, group = 1): MicroBench => ({ id, side, cin, cout, k, group });

export const MICRO_BENCHES: readonly MicroBench[] = [
  // first convs on the image's channels, and a 1x1 on 8 (MobileNetV2 at width 0.5): fewer input channels than
  // onnxruntime's channel block, read in the image layout, a cost per output as much as per multiply-add
  conv('conv3x3-3-to-32-at-208', 208, 3, 32, 3),
  conv('conv5x5-3-to-16-at-208', 208, 3, 16, 5),
  conv('conv1x1-8-to-48-at-104', 104, 8, 48, 1),
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
  // with ReLU6: in lithe's symmetric int8 onnxruntime runs the Clip in float between DequantizeLinear and
  // QuantizeLinear (ssd-lite at 320: 3.5 ms of its 10.7 in those Q/DQ), timed with them
  { ...conv('conv1x1-64-relu6-at-52', 52, 64, 64, 1), act: 'Clip' },
  // with SiLU: in int8 onnxruntime's QLinearSigmoid and QLinearMul, two kernels (yolov5n at 640: 7 ms of 27)
  { ...conv('conv1x1-64-silu-at-52', 52, 64, 64, 1), act: 'SiLU' },
  conv('depthwise3x3-64-at-104', 104, 64, 64, 3, 64),
  conv('depthwise3x3-128-at-52', 52, 128, 128, 3, 128),
  conv('depthwise3x3-256-at-26', 26, 256, 256, 3, 256),
  // convs on tiny maps (SSD's last extra layers and heads): what a kernel costs beyond its multiply-adds
  // (onnxruntime's QLinearConv: 11-13 us a call within ssd-lite at 320, however few its MACs)
  { ...conv('conv1x1-64-at-4', 4, 64, 64, 1), fixed: true },
  { ...conv('depthwise3x3-64-at-4', 4, 64, 64, 3, 64), fixed: true },
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
  const v = (i: number) => (i < 0 ? 'x' : i === layers - 1 ? 'y' : `v${i}`);
  if (b.op === 'Add') {
    // each adds the input to the last sum: one input, so that int8 calibration has one image to feed
    const nodes = Array.from({ length: layers }, (_, i) => node('Add', [v(i - 1), 'x'], [v(i)], {}, `add${i}`));
    return model(graph(b.id, nodes, [x], [valueInfo('y', DT.FLOAT, [1, b.cin, b.side, b.side])]));
  }
  if (b.op && isElementwise(b.op)) {
    const nodes = Array.from({ length: layers }, (_, i) => (b.op === 'SiLU'
      ? [node('Sigmoid', [v(i - 1)], [`s${i}`], {}, `sig${i}`), node('Mul', [v(i - 1), `s${i}`], [v(i)], {}, `silu${i}`)]
      : [node(b.op!, [v(i - 1)], [v(i)], {}, `op${i}`)])).flat();
    return model(graph(b.id, nodes, [x], [valueInfo('y', DT.FLOAT, [1, b.cin, b.side, b.side])]));
  }
  if (b.op === 'MaxPool') {
    const nodes = [node('MaxPool', ['x'], ['y'], { kernel_shape: [2, 2], strides: [2, 2] }, 'pool')];
    return model(graph(b.id, nodes, [x], [valueInfo('y', DT.FLOAT, [1, b.cin, b.side / 2, b.side / 2])]));
  }
  const layer = { cin: b.cin, cout: b.cout, k: b.k, group: b.group, act: b.act };
  return convChain(b.id, b.side, Array(layers).fill(layer));
}

interface Layer { cin: number; cout: number; k: number; group: number; act?: MicroBench['act'] }

/** The activation after a conv: LeakyRelu 0.1, Clip to [0, 6] (its bounds as inputs, opset 11 on), SiLU. */
function activation(l: Layer, i: number, y: string): { nodes: ReturnType<typeof node>[]; inits: ReturnType<typeof tensor>[] } {
  if (l.act === 'SiLU') return { nodes: [node('Sigmoid', [`c${i}`], [`s${i}`], {}, `sig${i}`), node('Mul', [`c${i}`, `s${i}`], [y], {}, `act${i}`)], inits: [] };
  if (l.act !== 'Clip') return { nodes: [node('LeakyRelu', [`c${i}`], [y], { alpha: 0.1 }, `act${i}`)], inits: [] };
  return { nodes: [node('Clip', [`c${i}`, 'lo', 'hi'], [y], {}, `act${i}`)], inits: i ? [] : [tensor('lo', [], Float32Array.of(0)), tensor('hi', [], Float32Array.of(6))] };
}

/** Convs with bias and an activation (as darknet layers are after BatchNormalization folds) one after another:
 *  layer i is nodes conv{i} and act{i} (and SiLU's sig{i}), writing c{i} and y{i} (the last one `y`). */
function convChain(id: string, side: number, layers: readonly Layer[]): ModelProto {
  const nodes = [];
  const inits = [];
  for (const [i, l] of layers.entries()) {
    const [x, y] = [i ? `y${i - 1}` : 'x', i === layers.length - 1 ? 'y' : `y${i}`];
    inits.push(tensor(`w${i}`, [l.cout, l.cin / l.group, l.k, l.k], weights(l.cout * (l.cin / l.group) * l.k * l.k, 1 + i)), tensor(`b${i}`, [l.cout], weights(l.cout, 2 + i)));
    const act = activation(l, i, y);
    nodes.push(node('Conv', [x, `w${i}`, `b${i}`], [`c${i}`], { kernel_shape: [l.k, l.k], pads: Array(4).fill(l.k >> 1), group: l.group }, `conv${i}`), ...act.nodes);
    inits.push(...act.inits);
  }
  const [first, last] = [layers[0]!, layers.at(-1)!];
  return model(graph(id, nodes, [valueInfo('x', DT.FLOAT, [1, first.cin, side, side])], [valueInfo('y', DT.FLOAT, [1, last.cout, side, side])], inits));
}

/** Benchmarks that chain: a conv whose input and output channels agree, an element-wise op, an Add. */
const chains = (b: MicroBench): boolean => b.op !== 'MaxPool' && b.cin === b.cout;

/**
 * The model `b` is timed in and the names (nodes and the values they write) of the layer whose kernels are
 * timed: the middle of three where it chains; else the layer first, a 1x1 conv after it (a first conv reads
 * the image; in int8 a conv whose output is not quantized again would run in float); a MaxPool alone.
 */
export function timedModel(b: MicroBench): { model: ModelProto; names: string[] } {
  if (chains(b)) {
    const m = microModel(b, 3);
    return { model: m, names: layerNames(m, (n) => /\D1$/.test(n)) };
  }
  if (b.op) {
    const m = microModel(b);
    return { model: m, names: layerNames(m, () => true) };
  }
  const m = convChain(b.id, b.side, [{ cin: b.cin, cout: b.cout, k: b.k, group: b.group }, { cin: b.cout, cout: b.cout, k: 1, group: 1 }]);
  return { model: m, names: layerNames(m, (n) => /\D0$/.test(n)) };
}

/** The names and outputs of the nodes of `m` whose names pass `keep`. */
const layerNames = (m: ModelProto, keep: (name: string) => boolean): string[] =>
  m.graph!.node.filter((n) => keep(n.name)).flatMap((n) => [n.name, ...n.output]);
