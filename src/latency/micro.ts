// The micro-benchmarks `lithe target calibrate` times: single layers of the shapes detectors are made of
// (3x3 convs from early wide maps to late deep ones, 1x1 convs, depthwise convs, the 3-channel first conv),
// each a conv with bias and a LeakyRelu as darknet layers are after BatchNormalization folds, and two
// memory-bound ops (an Add of two maps, a MaxPool). Each one's kernel kind, MACs and bytes come from the same
// kernels.ts the predictions use, so the fitted factors mean what the predictor reads.
import type { ModelProto } from 'onnx-buf';
import { TensorProto_DataType as DT } from 'onnx-buf';
import { graph, model, node, tensor, valueInfo } from '../onnx/make.ts';

export interface MicroBench {
  id: string;
  /** Input side, input channels, output channels, kernel, groups; `op` for the memory-bound ones. */
  side: number; cin: number; cout: number; k: number; group: number;
  op?: 'Add' | 'MaxPool';
}

const conv = (id: string, side: number, cin: number, cout: number, k: number, group = 1): MicroBench => ({ id, side, cin, cout, k, group });

export const MICRO_BENCHES: readonly MicroBench[] = [
  conv('conv3x3-3-to-32-at-208', 208, 3, 32, 3),
  conv('conv3x3-32-to-64-at-104', 104, 32, 64, 3),
  conv('conv3x3-64-at-52', 52, 64, 64, 3),
  conv('conv3x3-128-at-26', 26, 128, 128, 3),
  conv('conv3x3-256-at-13', 13, 256, 256, 3),
  conv('conv3x3-512-at-13', 13, 512, 512, 3),
  conv('conv1x1-64-to-128-at-52', 52, 64, 128, 1),
  conv('conv1x1-256-to-128-at-26', 26, 256, 128, 1),
  conv('conv1x1-512-to-256-at-13', 13, 512, 256, 1),
  conv('depthwise3x3-64-at-104', 104, 64, 64, 3, 64),
  conv('depthwise3x3-256-at-26', 26, 256, 256, 3, 256),
  { id: 'add-64-at-104', side: 104, cin: 64, cout: 64, k: 1, group: 1, op: 'Add' },
  { id: 'maxpool-128-at-52', side: 52, cin: 128, cout: 128, k: 2, group: 1, op: 'MaxPool' },
];

/** Deterministic small weights: timing does not depend on the values, quantization needs a spread. */
const weights = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 0.1);

export function microModel(b: MicroBench): ModelProto {
  const x = valueInfo('x', DT.FLOAT, [1, b.cin, b.side, b.side]);
  if (b.op === 'Add') {
    const nodes = [node('Add', ['x', 'x2'], ['y'], {}, 'add')];
    return model(graph(b.id, nodes, [x, valueInfo('x2', DT.FLOAT, [1, b.cin, b.side, b.side])], [valueInfo('y', DT.FLOAT, [1, b.cin, b.side, b.side])]));
  }
  if (b.op === 'MaxPool') {
    const nodes = [node('MaxPool', ['x'], ['y'], { kernel_shape: [2, 2], strides: [2, 2] }, 'pool')];
    return model(graph(b.id, nodes, [x], [valueInfo('y', DT.FLOAT, [1, b.cin, b.side / 2, b.side / 2])]));
  }
  const w = tensor('w', [b.cout, b.cin / b.group, b.k, b.k], weights(b.cout * (b.cin / b.group) * b.k * b.k, 1));
  const bias = tensor('b', [b.cout], weights(b.cout, 2));
  const nodes = [
    node('Conv', ['x', 'w', 'b'], ['c'], { kernel_shape: [b.k, b.k], pads: Array(4).fill(b.k >> 1), group: b.group }, 'conv'),
    node('LeakyRelu', ['c'], ['y'], { alpha: 0.1 }, 'act'),
  ];
  return model(graph(b.id, nodes, [x], [valueInfo('y', DT.FLOAT, [1, b.cout, b.side, b.side])], [w, bias]));
}
