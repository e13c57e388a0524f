// Zoo models: each builds, passes the verifier, runs in onnxruntime-node with the expected output maps, and
// its stdlib profile splits its convolutions into backbone, neck and head exactly once, with the output
// convolutions in head.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { encodeModel } from '../src/onnx/io.ts';
import { Graph } from '../src/onnx/graph.ts';
import { verify } from '../src/onnx/verify.ts';
import { modelStats } from '../src/onnx/stats.ts';
import { select } from '../src/onnx/select.ts';
import { checkText } from '../src/plan/build.ts';
import { zooByName } from '../src/zoo/registry.ts';

const convs = (nodes: Iterable<{ name: string; opType: string }>) => [...nodes].filter((n) => n.opType === 'Conv').map((n) => n.name).sort();

test('yolov5n: builds, verifies, runs with stride 8/16/32 maps; 1,872,157 trainable parameters', async () => {
  const m = zooByName.get('yolov5n')!.build({ size: 320 });
  const g = Graph.fromModel(m);
  assert.deepEqual(verify(g, { opset: 13 }), []);
  // A regression figure: also the count Ultralytics' model summary prints for yolov5n (not in facts.md).
  assert.equal(modelStats(g, 13).trainable, 1_872_157);
  const s = await ort.InferenceSession.create(encodeModel(m));
  const r = await s.run({ images: new ort.Tensor('float32', new Float32Array(3 * 320 * 320).fill(0.1), [1, 3, 320, 320]) });
  assert.deepEqual(s.outputNames.map((o) => r[o]!.dims), [[1, 255, 40, 40], [1, 255, 20, 20], [1, 255, 10, 10]]);
});

for (const name of ['yolov5n']) {
  test(`stdlib/${name}.cmp splits the zoo model's convolutions into backbone, neck and head`, () => {
    const g = Graph.fromModel(zooByName.get(name)!.build({ size: 320 }));
    const { plan } = checkText('p.cmp', `model zoo:${name}\n`);
    const part = (s: string) => convs(select({ scope: s }, g, plan!.scopes));
    const [b, n, h] = ['backbone', 'neck', 'head'].map(part);
    assert.deepEqual([...b!, ...n!, ...h!].sort(), convs(g.nodes));
    assert.ok(b!.length && n!.length && h!.length);
    const outputs = g.outputs.map((o) => g.producer(o.name)!.name).sort();
    assert.deepEqual(part('outputs'), outputs);
  });
}
