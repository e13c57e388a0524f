// Shape inference against an oracle: every case is a one-node model run in onnxruntime-node, whose actual
// output dimensions must equal the inferred ones. Plus symbolic batches and mismatches named by node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { create } from '@bufbuild/protobuf';
import { ValueInfoProtoSchema } from 'onnx-buf';
import { encodeModel } from '../src/onnx/io.ts';
import { Graph } from '../src/onnx/graph.ts';
import { inferShapes } from '../src/onnx/shape/infer.ts';
import { verify } from '../src/onnx/verify.ts';
import { shapeRules } from '../src/onnx/shape/registry.ts';
import { DataType, graph, model, node, tensor, valueInfo, type AttrValue } from '../src/onnx/make.ts';

type Case = { op: string; x: number[][]; consts?: [string, number[], number[] | bigint[]][]; attrs?: Record<string, AttrValue>; outputs?: number; opset?: number };

const f32 = (shape: number[]) => new Float32Array(shape.reduce((a, b) => a * b, 1)).map((_, i) => ((i * 7919) % 13) / 13 - 0.4);
const i64 = (v: number[]) => BigInt64Array.from(v.map(BigInt));

const CASES: Record<string, Case> = {
  'Conv 3x3 stride 2 pad 1': { op: 'Conv', x: [[1, 3, 17, 16]], consts: [['w', [8, 3, 3, 3], []]], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } },
  'Conv depthwise dilated': { op: 'Conv', x: [[1, 4, 12, 12]], consts: [['w', [4, 1, 3, 3], []]], attrs: { group: 4, dilations: [2, 2] } },
  'Conv SAME_UPPER': { op: 'Conv', x: [[2, 2, 9, 7]], consts: [['w', [3, 2, 3, 3], []]], attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2] } },
  'ConvTranspose SAME_UPPER': { op: 'ConvTranspose', x: [[1, 1, 3, 3]], consts: [['w', [1, 2, 3, 3], []]], attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2] }, opset: 11 },
  'ReduceMean, axes an input (opset 18)': { op: 'ReduceMean', x: [[2, 3, 4]], consts: [['ax', [1], [1]]], opset: 18 },
  'ConvTranspose stride 2': { op: 'ConvTranspose', x: [[1, 4, 5, 6]], consts: [['w', [4, 2, 3, 3], []]], attrs: { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] } },
  'MaxPool darknet stride 1': { op: 'MaxPool', x: [[1, 2, 13, 13]], attrs: { kernel_shape: [2, 2], strides: [1, 1], pads: [0, 0, 1, 1] } },
  'MaxPool 2x2 s2': { op: 'MaxPool', x: [[1, 2, 26, 25]], attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
  'MaxPool ceil_mode': { op: 'MaxPool', x: [[1, 1, 7, 7]], attrs: { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 } },
  'AveragePool': { op: 'AveragePool', x: [[1, 3, 8, 8]], attrs: { kernel_shape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1] } },
  'GlobalAveragePool': { op: 'GlobalAveragePool', x: [[2, 5, 7, 3]] },
  'BatchNormalization': { op: 'BatchNormalization', x: [[1, 3, 4, 4]], consts: [['s', [3], []], ['b', [3], []], ['m', [3], []], ['v', [3], [1, 1, 1]]] },
  'Relu': { op: 'Relu', x: [[2, 3]] }, 'LeakyRelu': { op: 'LeakyRelu', x: [[2, 3, 4]], attrs: { alpha: 0.1 } },
  'Sigmoid': { op: 'Sigmoid', x: [[5]] }, 'HardSwish (opset 14)': { op: 'HardSwish', x: [[1, 2, 3]], opset: 14 }, 'Identity': { op: 'Identity', x: [[3, 1]] },
  'Softmax': { op: 'Softmax', x: [[2, 6]], attrs: { axis: 1 } },
  'Clip': { op: 'Clip', x: [[2, 2]], consts: [['lo', [], [0]], ['hi', [], [6]]] },
  'Add broadcast': { op: 'Add', x: [[2, 3, 4, 5], [3, 1, 5]] }, 'Mul scalar': { op: 'Mul', x: [[2, 3], [1]] },
  'Sub': { op: 'Sub', x: [[4, 1], [1, 6]] }, 'Div': { op: 'Div', x: [[1, 3, 1, 1], [2, 3, 5, 5]] },
  'Concat channels': { op: 'Concat', x: [[1, 3, 4, 4], [1, 5, 4, 4], [1, 1, 4, 4]], attrs: { axis: 1 } },
  'Split even': { op: 'Split', x: [[1, 6, 2]], attrs: { axis: 1 }, outputs: 2 },
  'Split sizes': { op: 'Split', x: [[1, 7, 2]], consts: [['split', [2], [2, 5]]], attrs: { axis: 1 }, outputs: 2 },
  'Slice': { op: 'Slice', x: [[1, 10, 8]], consts: [['st', [2], [2, -5]], ['en', [2], [100, -1]], ['ax', [2], [1, 2]], ['sp', [2], [3, 1]]] },
  'Slice negative step': { op: 'Slice', x: [[9]], consts: [['st', [1], [-1]], ['en', [1], [-100]], ['ax', [1], [0]], ['sp', [1], [-2]]] },
  'Resize scales': { op: 'Resize', x: [[1, 2, 13, 13]], consts: [['roi', [0], []], ['sc', [4], [1, 1, 2, 2]]], attrs: { mode: 'nearest' } },
  'Resize sizes': { op: 'Resize', x: [[1, 2, 5, 5]], consts: [['roi', [0], []], ['sc', [0], []], ['sz', [4], [1, 2, 9, 11]]] },
  'Reshape with 0 and -1': { op: 'Reshape', x: [[2, 3, 4, 5]], consts: [['s', [3], [0, -1, 5]]] },
  'Transpose': { op: 'Transpose', x: [[2, 3, 4]], attrs: { perm: [2, 0, 1] } },
  'Flatten': { op: 'Flatten', x: [[2, 3, 4, 5]], attrs: { axis: 2 } },
  'Squeeze': { op: 'Squeeze', x: [[1, 3, 1, 2]], consts: [['ax', [1], [2]]] },
  'Unsqueeze': { op: 'Unsqueeze', x: [[3, 2]], consts: [['ax', [2], [0, 3]]] },
  'Gemm transB': { op: 'Gemm', x: [[4, 6]], consts: [['b', [5, 6], []]], attrs: { transB: 1 } },
  'MatMul batched': { op: 'MatMul', x: [[2, 1, 3, 4], [5, 4, 6]] }, 'MatMul vector': { op: 'MatMul', x: [[4], [2, 4, 3]] },
  'Pad': { op: 'Pad', x: [[1, 2, 3, 3]], consts: [['p', [8], [0, 0, 1, 2, 0, 0, 3, 0]]] },
  'QuantizeLinear': { op: 'QuantizeLinear', x: [[1, 3, 2]], consts: [['s', [], [0.1]], ['z', [], [0]]] },
};

const INT_INPUTS = new Set(['split', 'st', 'en', 'ax', 'sp', 's', 'sz', 'p']);

function buildCase(c: Case) {
  const ins = c.x.map((_, i) => `x${i}`);
  const consts = (c.consts ?? []).map(([name, dims, v]) => {
    const int = INT_INPUTS.has(name) && !(c.op === 'BatchNormalization' || c.op === 'QuantizeLinear');
    if (c.op === 'QuantizeLinear' && name === 'z') return tensor(name, dims, Uint8Array.from(v as number[]));
    const n = dims.reduce((a, b) => a * b, 1);
    return int ? tensor(name, dims, i64(v as number[])) : tensor(name, dims, v.length ? Float32Array.from(v as number[]) : f32(dims.length ? dims : [n]).slice(0, n));
  });
  const outs = Array.from({ length: c.outputs ?? 1 }, (_, i) => `y${i}`);
  const untyped = (name: string) => create(ValueInfoProtoSchema, { name });
  const g = graph(c.op, [node(c.op, [...ins, ...consts.map((t) => t.name)], outs, c.attrs ?? {}, 'n')],
    c.x.map((s, i) => valueInfo(ins[i]!, DataType.FLOAT, s)), outs.map(untyped), consts);
  return model(g, { opset: c.opset ?? 13 });
}

for (const [name, c] of Object.entries(CASES)) {
  test(`shape of ${name} equals onnxruntime's`, async () => {
    const m = buildCase(c);
    const { types, problems } = inferShapes(Graph.fromModel(m), c.opset ?? 13);
    assert.deepEqual(problems, []);
    const s = await ort.InferenceSession.create(encodeModel(m));
    const feeds = Object.fromEntries(c.x.map((shape, i) => [`x${i}`, new ort.Tensor('float32', f32(shape), shape)]));
    const r = await s.run(feeds);
    for (const o of Object.keys(r)) assert.deepEqual(types.get(o)?.shape, [...r[o]!.dims], `${o}`);
  });
}

test('every op of the detector set has a shape rule', () => {
  const ops = 'Conv ConvTranspose BatchNormalization Relu LeakyRelu Sigmoid HardSwish Clip Add Mul Sub Div Concat Split Slice Resize Upsample MaxPool AveragePool GlobalAveragePool Reshape Transpose Flatten Squeeze Unsqueeze Gemm MatMul Softmax Identity Pad QuantizeLinear DequantizeLinear'.split(' ');
  const have = new Set(shapeRules.map((r) => r.op));
  assert.deepEqual(ops.filter((o) => !have.has(o)), []);
});

test('a symbolic batch flows through; spatial sizes stay numbers', () => {
  const g = graph('sym', [node('Conv', ['x', 'w'], ['y'], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }), node('Flatten', ['y'], ['z'])],
    [valueInfo('x', DataType.FLOAT, ['N', 3, 32, 32])], [valueInfo('z', DataType.FLOAT, ['N', 4096])], [tensor('w', [16, 3, 3, 3], f32([16, 3, 3, 3]))]);
  const { types, problems } = inferShapes(Graph.fromModel(model(g)), 13);
  assert.deepEqual(problems, []);
  assert.deepEqual(types.get('y')!.shape, ['N', 16, 16, 16]);
  assert.deepEqual(types.get('z')!.shape, ['N', 4096]);
});

test('axes, split sizes and steps computed at run time leave shapes unknown, never guessed', () => {
  const computed: [string, string[], Record<string, AttrValue>, number][] = [
    ['Squeeze', ['x', 'k'], {}, 1], ['Split', ['x', 'k'], { axis: 0 }, 2], ['Slice', ['x', 'k', 'k', 'k'], {}, 1], ['Pad', ['x', 'k', '', 'k'], {}, 1],
  ];
  for (const [op, inputs, attrs, n] of computed) {
    const outs = Array.from({ length: n }, (_, i) => `y${i}`);
    const g = graph(op, [node(op, inputs, outs, attrs, 'n')], [valueInfo('x', DataType.FLOAT, [1, 6, 1]), valueInfo('k', DataType.INT64, [1])], outs.map((o) => create(ValueInfoProtoSchema, { name: o })));
    const { types, problems } = inferShapes(Graph.fromModel(model(g, { opset: 18 })), 18);
    assert.deepEqual(problems, [], op);
    for (const o of outs) assert.ok(!types.get(o)?.shape || types.get(o)!.shape!.includes('?'), `${op}: ${types.get(o)?.shape}`);
  }
});

test('mismatches and unknown ops are named by node; a wrong declared shape is reported', () => {
  const g = graph('bad', [
    node('Conv', ['x', 'w'], ['y'], {}, 'conv0'), node('Add', ['y', 'b'], ['z'], {}, 'add0'), node('Frobnicate', ['z'], ['q'], {}, 'weird'),
  ], [valueInfo('x', DataType.FLOAT, [1, 3, 8, 8])], [valueInfo('q', DataType.FLOAT, [1])],
  [tensor('w', [4, 5, 1, 1], f32([4, 5, 1, 1])), tensor('b', [7], f32([7]))]);
  const { problems } = inferShapes(Graph.fromModel(model(g)), 13);
  const msgs = problems.map((p) => p.message);
  assert.ok(msgs.some((m) => /node 'conv0' \(Conv\): input has 3 channels but the weight \[4, 5, 1, 1\]/.test(m)), msgs.join('\n'));
  assert.ok(msgs.some((m) => /no shape rule for op Frobnicate/.test(m)));
  const g2 = graph('decl', [node('Relu', ['x'], ['y'])], [valueInfo('x', DataType.FLOAT, [1, 3])], [valueInfo('y', DataType.FLOAT, [1, 4])]);
  assert.match(inferShapes(Graph.fromModel(model(g2)), 13).problems[0]!.message, /declared \[1, 4\] but computes to \[1, 3\]/);
  // The verifier reports shape mismatches when given the opset, and an op ONNX does not have at that opset.
  assert.deepEqual(verify(Graph.fromModel(model(g2)), { opset: 13 }).map((p) => p.value), ['y']);
  assert.ok(verify(Graph.fromModel(model(g)), { opset: 13 }).some((p) => p.node === 'weird' && /unknown op 'Frobnicate'/.test(p.message)));
});
