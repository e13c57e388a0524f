// The valid models every mutant starts from, small enough that the whole corpus runs in seconds:
// `net` (Conv, BatchNormalization, LeakyRelu, MaxPool, Reshape: the window and tensor mutations),
// `yolo` (two YOLO heads with lithe.yolo metadata), `ssd` (boxes and scores with lithe.ssd metadata).
import type { ModelProto } from 'onnx-buf';
import { DataType, graph, model, node, tensor, valueInfo } from '../../../../src/onnx/make.ts';
import { NetBuilder } from '../../../../src/onnx/builder.ts';
import type { BaseName } from './types.ts';

const ramp = (n: number, scale = 0.1): Float32Array => Float32Array.from({ length: n }, (_, i) => ((i % 7) - 3) * scale);

function net(): ModelProto {
  const nodes = [
    node('Conv', ['x', 'w', 'b'], ['c'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1], dilations: [1, 1], group: 1 }, 'conv'),
    node('BatchNormalization', ['c', 'gamma', 'beta', 'mean', 'var'], ['n'], { epsilon: 1e-3 }, 'bn'),
    node('LeakyRelu', ['n'], ['a'], { alpha: 0.1 }, 'act'),
    node('MaxPool', ['a'], ['y'], { kernel_shape: [2, 2], strides: [2, 2] }, 'pool'),
    node('Reshape', ['y', 'shape'], ['flat'], {}, 'flatten'),
  ];
  const ones = (name: string) => tensor(name, [3], new Float32Array(3).fill(1));
  const inits = [
    tensor('w', [3, 2, 3, 3], ramp(54)), tensor('b', [3], ramp(3)), ones('gamma'), tensor('beta', [3], new Float32Array(3)),
    tensor('mean', [3], new Float32Array(3)), ones('var'), tensor('shape', [2], BigInt64Array.from([1n, 12n])),
  ];
  return model(graph('net', nodes, [valueInfo('x', DataType.FLOAT, ['N', 2, 4, 4])],
    [valueInfo('y', DataType.FLOAT, ['N', 3, 2, 2]), valueInfo('flat', DataType.FLOAT, [1, 12])], inits));
}

function yolo(): ModelProto {
  const b = new NetBuilder('tiny-yolo', 32, 7);
  const c1 = b.conv(b.input, 'l1', { out: 8, k: 3, s: 2, act: 'leaky' });
  const c2 = b.conv(c1, 'l2', { out: 8, k: 3, s: 2, act: 'leaky' });
  const h1 = b.conv(c2, 'head1', { out: 21, k: 1, bn: false, act: 'linear' });
  const h2 = b.conv(c1, 'head2', { out: 21, k: 1, bn: false, act: 'linear' });
  const anchors = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319];
  const heads = [{ output: h1, mask: [3, 4, 5], anchors, classes: 2, stride: 4 }, { output: h2, mask: [0, 1, 2], anchors, classes: 2, stride: 2 }];
  return b.build([h1, h2], { 'lithe.yolo': JSON.stringify(heads) });
}

function ssd(): ModelProto {
  const b = new NetBuilder('tiny-ssd', 32, 3);
  const f = b.conv(b.input, 'features', { out: 4, k: 3, s: 16, act: 'relu' }); // 2x2 cells
  const box = b.rows(b.conv(f, 'head.box', { out: 2 * 4, k: 1, bn: false, act: 'linear' }), 'head.box.rows', 4);
  const cls = b.rows(b.conv(f, 'head.cls', { out: 2 * 2, k: 1, bn: false, act: 'linear' }), 'head.cls.rows', 2);
  const boxes = b.concatRows([box], 'boxes');
  const scores = b.concatRows([cls], 'scores');
  const layout = { classes: 1, background: 0, strides: [16], sizes: [2], anchors: [2], minScale: 0.2, maxScale: 0.9, aspectRatios: [[2]] };
  return b.build([boxes, scores], { 'lithe.ssd': JSON.stringify(layout) });
}

export const BASES: Record<BaseName, () => ModelProto> = { net, yolo, ssd };
