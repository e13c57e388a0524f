// Runtime sessions: in-memory models, taps on intermediate values, thread settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { createSession, runWithTaps, withTaps, RuntimeError } from '../src/runtime/session.ts';
import { DataType, graph, model, node, tensor, valueInfo } from '../src/onnx/make.ts';

const chain = () => model(graph('chain',
  [node('Conv', ['x', 'w'], ['y'], { kernel_shape: [1, 1] }, 'conv'), node('Relu', ['y'], ['z'], {}, 'relu'), node('Sigmoid', ['z'], ['out'], {}, 'sig')],
  [valueInfo('x', DataType.FLOAT, ['N', 2, 1, 1])], [valueInfo('out', DataType.FLOAT, ['N', 2, 1, 1])],
  [tensor('w', [2, 2, 1, 1], Float32Array.from([1, -1, 0.5, 2]))]));

test('taps expose intermediate feature maps with their values', async () => {
  const x = new ort.Tensor('float32', Float32Array.from([1, 2, -3, 1]), [2, 2, 1, 1]);
  const r = await runWithTaps(chain(), { x }, ['y', 'z']);
  // conv per batch item: [x0 - x1, 0.5 x0 + 2 x1]
  assert.deepEqual(Array.from(r.y!.data as Float32Array), [-1, 4.5, -4, 0.5]);
  assert.deepEqual(Array.from(r.z!.data as Float32Array), [0, 4.5, 0, 0.5]);
  assert.deepEqual(r.y!.dims, [2, 2, 1, 1]);
  assert.ok(r.out);
});

test('tapping does not change the model it is given', () => {
  const m = chain();
  withTaps(m, ['y']);
  assert.deepEqual(m.graph!.output.map((o) => o.name), ['out']);
});

test('a value nothing produces cannot be tapped; the error says which', () => {
  assert.throws(() => withTaps(chain(), ['nope']), (e: unknown) => e instanceof RuntimeError && /'nope'/.test(e.message));
});

test('sessions take a thread count and report a model onnxruntime rejects as a RuntimeError', async () => {
  const s = await createSession(chain(), { threads: 2 });
  assert.deepEqual(s.inputNames, ['x']);
  await s.release();
  const bad = chain();
  bad.graph!.node[0]!.opType = 'NoSuchOp';
  await assert.rejects(createSession(bad), (e: unknown) => e instanceof RuntimeError && /NoSuchOp/.test(e.message));
});
