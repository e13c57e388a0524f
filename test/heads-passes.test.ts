// What the passes do with a head lithe did not build: int8 keeps the decoding tail in float (and the outputs
// close to the float model's), pruning never touches the head's output convolutions, built-in scopes are
// inferred from the graph, and training reads the raw maps before an in-graph decoding or refuses by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import type { ModelProto } from 'onnx-buf';
import { FOREIGN_HEADS } from './support/foreign/heads/index.ts';
import { decodeModel, encodeModel } from '../src/onnx/io.ts';
import { Graph } from '../src/onnx/graph.ts';
import { inferShapes } from '../src/onnx/shape/infer.ts';
import { createSession } from '../src/runtime/session.ts';
import { headFor } from '../src/metrics/decode/head.ts';
import { HeadView } from '../src/metrics/decode/detect/view.ts';
import { quantizeInt8 } from '../src/passes/quantize/int8.ts';
import { planQdq } from '../src/passes/quantize/qdq/plan.ts';
import { pruneModel } from '../src/passes/prune/prune-model.ts';
import { pruneGroups } from '../src/passes/prune/dependency/groups.ts';
import { inferScopes } from '../src/run/infer-scopes.ts';
import { selectNames } from '../src/run/scopes.ts';
import { checkText } from '../src/plan/build.ts';
import { yoloFeeds, yoloHeads, yoloLoss } from '../src/train/loss/yolo-loss.ts';
import { TrainingSession } from '../src/train/session.ts';
import { TrainingError } from '../src/train/graph.ts';
import { mulberry32 } from '../src/util/random.ts';

const SIZE = 64;
const build = (id: string, classes = 3): ModelProto => decodeModel(encodeModel(FOREIGN_HEADS.find((f) => f.id === id)!.build({ size: SIZE, classes })), `${id}.onnx`);
const rnd = mulberry32(11);
const image = () => new Float32Array(3 * SIZE * SIZE).map(() => rnd());

/** Mean and largest difference of box values (rows 0..3, in pixels over 1 + 1% of the value) and of scores
 *  (the rest, absolute), rows along `rowsLast`. */
function differences(a: Float32Array, b: Float32Array, dims: number[], rowsLast: boolean) {
  const [R, P] = rowsLast ? [dims[2]!, dims[1]!] : [dims[1]!, dims[2]!];
  const acc = { box: { sum: 0, max: 0, n: 0 }, score: { sum: 0, max: 0, n: 0 } };
  for (let p = 0; p < P; p++) for (let r = 0; r < R; r++) {
    const i = rowsLast ? p * R + r : r * P + p;
    // box values are judged relative to their size: a 1000-pixel anchor box may move by more than a pixel
    const e = Math.abs(a[i]! - b[i]!) / (r < 4 ? 1 + 0.01 * Math.abs(a[i]!) : 1);
    const x = acc[r < 4 ? 'box' : 'score'];
    x.sum += e; x.n++; x.max = Math.max(x.max, e);
  }
  return { box: { mean: acc.box.sum / acc.box.n, max: acc.box.max }, score: { mean: acc.score.sum / acc.score.n, max: acc.score.max } };
}

test('int8: an Ultralytics model keeps its decoding in float, and its outputs stay within a small tolerance of the float model', async () => {
  for (const [id, rowsLast] of [['ultralytics-v5', true], ['ultralytics-v8', false]] as const) {
    const m = build(id);
    const { model: q, report } = await quantizeInt8(m, Array.from({ length: 8 }, image), { method: 'minmax' });
    const tail = new HeadView(m).walkBack(['output0']).tail;
    assert.ok(tail.length > 20, id);
    for (const n of tail) {
      assert.ok(report.decode.includes(n.name) && !report.quantized.includes(n.name), `${id}: '${n.name}' (${n.opType}) should stay float`);
    }
    // in the quantized graph no tail node reads a dequantized value or feeds a quantizer
    const g = Graph.fromModel(q);
    const names = new Set(tail.map((n) => n.name));
    for (const n of g.nodes.filter((x) => names.has(x.name))) {
      assert.ok(n.input.every((i) => g.producer(i)?.opType !== 'DequantizeLinear'), `${id}: '${n.name}' reads a DequantizeLinear`);
      assert.ok(n.output.every((o) => g.consumers(o).every((c) => c.opType !== 'QuantizeLinear')), `${id}: '${n.name}' feeds a QuantizeLinear`);
    }
    const [fs, qs] = [await createSession(m), await createSession(q)];
    try {
      for (let k = 0; k < 3; k++) {
        const feeds = { images: new ort.Tensor('float32', image(), [1, 3, SIZE, SIZE]) };
        const [a, b] = [(await fs.run(feeds)).output0!, (await qs.run(feeds)).output0!];
        const d = differences(a.data as Float32Array, b.data as Float32Array, a.dims as number[], rowsLast);
        // boxes in input pixels (64 × 64), scores in 0..1
        assert.ok(d.box.mean < 0.25 && d.box.max < 1.5, `${id}: boxes differ by ${d.box.mean.toFixed(3)} px on average, ${d.box.max.toFixed(2)} at most (scaled)`);
        assert.ok(d.score.mean < 0.005 && d.score.max < 0.02, `${id}: scores differ by ${d.score.mean.toFixed(4)} on average, ${d.score.max.toFixed(3)} at most`);
      }
    } finally {
      await fs.release();
      await qs.release();
    }
  }
});

test('int8: without the head, structure alone would quantize YOLOv8\'s DFL convolution, the trap the head description avoids', () => {
  const m = build('ultralytics-v8');
  const g = Graph.fromModel(m);
  const types = inferShapes(g, 13).types;
  const dfl = g.nodes.find((n) => n.name === '/model.22/dfl/conv/Conv')!;
  assert.ok(planQdq(g, types).quantized.has(dfl));
  const withHead = planQdq(g, types, new Set(), headFor(m)!.convs);
  assert.ok(withHead.decode.has(dfl) && !withHead.quantized.has(dfl));
});

test('pruning never touches the head\'s output convolutions: their channels are the output format', async () => {
  for (const id of ['ultralytics-v5', 'ultralytics-v8', 'anchor-free-fcos', 'darknet-yolov3', 'ssd-decoded']) {
    const m = build(id);
    const head = headFor(m)!;
    const before = new HeadView(m);
    const everything = new Set(Graph.fromModel(m).nodes.map((n) => n.name));
    const r = await pruneModel(m, { scope: everything, criterion: ['l1'], amount: 0.5 });
    assert.ok(r.layers.some((l) => l.after < l.before), `${id}: something was pruned`);
    const after = new HeadView(r.model);
    for (const c of head.convs) assert.deepEqual(after.shape(c), before.shape(c), `${id}: '${c}'`);
    for (const o of before.outputs()) assert.deepEqual(after.shape(o.name), o.shape, `${id}: output '${o.name}'`);
    const s = await createSession(r.model);
    await s.run({ images: new ort.Tensor('float32', image(), [1, 3, SIZE, SIZE]) });
    await s.release();
  }
  // the head's convs are protected by name, not only by what follows them: a backbone conv named as one is kept
  const m = build('ultralytics-v5');
  const g = Graph.fromModel(m);
  const conv = '/model.2/conv/Conv_output_0';
  const group = (head?: string[]) => pruneGroups(g, { head }).find((x) => x.producers.some((p) => p.node === '/model.2/conv/Conv'))!;
  assert.ok(group().prunable);
  assert.match(group([conv]).reason!, /'\/model\.2\/conv\/Conv_output_0' is an output convolution of the detection head/);
});

test('built-in scopes of a model without a profile are inferred from its graph, by the documented rules', () => {
  const m = build('ultralytics-v5');
  const s = inferScopes(m);
  const convs = (k: 'backbone' | 'neck' | 'head') => s[k].filter((n) => n.opType === 'Conv').map((n) => n.name);
  assert.equal(s.join?.name, '/model.6/Resize');
  assert.deepEqual(convs('backbone'), [0, 1, 2, 3, 4, 5].map((i) => `/model.${i}/conv/Conv`));
  assert.deepEqual(convs('neck'), ['/model.8/conv/Conv', '/model.11/conv/Conv']);
  assert.deepEqual(convs('head'), [0, 1, 2].map((i) => `/model.24/m.${i}/Conv`));
  assert.ok(s.head.some((n) => n.name === '/model.24/Concat_3') && s.head.some((n) => n.opType === 'Pow'), 'the decoding tail is in the head');
  // every named node in exactly one scope
  const all = [...s.backbone, ...s.neck, ...s.head];
  assert.equal(new Set(all).size, all.length);
  assert.equal(all.length, Graph.fromModel(m).nodes.length);
  // a run selects them so: `prune backbone` on this model prunes the backbone's layers
  const { plan } = checkText('r.cmp', 'prune backbone l1 0.3\n', {});
  const picked = selectNames(plan!, { scope: 'backbone' }, m);
  assert.deepEqual([...picked].filter((n) => n.endsWith('/Conv')), convs('backbone'));
  // an unknown head: the last layers before the outputs are the head
  assert.deepEqual(inferScopes(build('centernet-like')).head.filter((n) => n.opType === 'Conv').map((n) => n.name), ['/hm.2/Conv', '/wh.2/Conv', '/reg.2/Conv']);
});

test('training reads the raw maps before an in-graph decoding, with the graph\'s anchors; a head it has no loss for is refused by name', () => {
  const m = build('ultralytics-v5');
  const v = new HeadView(m);
  const heads = yoloHeads(m, SIZE, (x) => v.shape(x)!);
  assert.deepEqual(heads.map((h) => [h.output, h.stride, h.h, h.style]), [0, 1, 2].map((i) => [`/model.24/m.${i}/Conv_output_0`, 8 << i, SIZE / (8 << i), 'v5']));
  assert.throws(() => yoloHeads(build('ultralytics-v8'), SIZE, () => []), (e: unknown) => e instanceof TrainingError && /its head \(ultralytics v8\) is anchor-free, and lithe's loss is YOLO's/.test((e as Error).message));
  assert.throws(() => yoloHeads(build('centernet-like'), SIZE, () => []), (e: unknown) => e instanceof TrainingError && /describes no YOLO head/.test((e as Error).message));
});

test('a YOLOv5 export with a dynamic batch trains: one step through the raw maps, the decoding tail left in the graph', async () => {
  const m = decodeModel(encodeModel(FOREIGN_HEADS.find((f) => f.id === 'ultralytics-v5')!.build({ size: SIZE, classes: 3, batch: 'dynamic' })), 'v5.onnx');
  let heads: ReturnType<typeof yoloHeads> = [];
  const session = await TrainingSession.create(m, { batch: 2, loss: (b) => { heads = yoloHeads(m, SIZE, b.shape); return yoloLoss(b, heads, SIZE, 2); } });
  const x = new Float32Array(2 * 3 * SIZE * SIZE).map(() => rnd());
  const targets = [{ boxes: Float32Array.of(10, 12, 40, 44), classes: Int32Array.of(1) }, { boxes: new Float32Array(0), classes: new Int32Array(0) }];
  const loss = await session.step({ [session.graph.feeds[0]!.name]: x, ...yoloFeeds(heads, targets) });
  assert.ok(Number.isFinite(loss) && loss > 0, `loss ${loss}`);
  const grad = session.grads.get('model.24.m.0.weight')!;
  assert.ok(grad.some((g) => g !== 0), 'the head conv gets a gradient');
});
