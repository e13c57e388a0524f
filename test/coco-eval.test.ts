// The COCO evaluator on cases whose 12 numbers can be worked out by hand: a perfect detection, none at all,
// a false positive ranked first, partial overlap across IoU thresholds, crowd regions, score ties, classes
// without ground truth, area ranges, and more than 100 detections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCoco, IOU_THRESHOLDS, RECALL_POINTS, type CocoDetection, type CocoGt } from '../src/metrics/coco.ts';

const box = (x: number, y: number, w: number, h: number): [number, number, number, number] => [x, y, w, h];
const gt = (anns: Partial<CocoGt['annotations'][number]>[], images = [1], cats = [1]): CocoGt => ({
  images: images.map((id) => ({ id })), categories: cats.map((id) => ({ id })),
  annotations: anns.map((a, i) => ({ id: i + 1, image_id: 1, category_id: 1, bbox: box(0, 0, 10, 10), area: 100, ...a })),
});
const det = (d: Partial<CocoDetection>): CocoDetection => ({ image_id: 1, category_id: 1, bbox: box(0, 0, 10, 10), score: 0.9, ...d });
// Precision is tp / (tp + fp + eps) as in the reference, so a perfect score is 1 - 2e-16, not 1.
const near = (x: number | undefined, y: number): void => assert.ok(x !== undefined && Math.abs(x - y) < 1e-9, `${x} vs ${y}`);
const close = (a: number[], b: number[]) => a.forEach((x, i) => near(x, b[i]!));

test('thresholds are numpy.linspace values', () => {
  assert.equal(IOU_THRESHOLDS.length, 10);
  assert.equal(IOU_THRESHOLDS[9], 0.95);
  assert.equal(RECALL_POINTS[100], 1);
  assert.equal(RECALL_POINTS[7], 7 * 0.01); // not 7 / 100: numpy multiplies the step
});

test('a perfect detection of a small object: AP and AR 1 where there is ground truth, -1 elsewhere', () => {
  const r = evaluateCoco(gt([{}]), [det({})]);
  close(r.stats, [1, 1, 1, 1, -1, -1, 1, 1, 1, 1, -1, -1]);
});

test('no detections: 0 where there is ground truth', () => {
  close(evaluateCoco(gt([{ bbox: box(0, 0, 50, 50), area: 2500 }]), []).stats, [0, 0, 0, -1, 0, -1, 0, 0, 0, -1, 0, -1]);
});

test('a false positive ranked above the true one halves the precision', () => {
  const r = evaluateCoco(gt([{}]), [det({ bbox: box(50, 50, 10, 10), score: 0.95 }), det({ score: 0.5 })]);
  near(r.stats[0], 0.5);
  // with one detection per image only the false positive counts: recall 0
  near(r.stats[6], 0);
  near(r.stats[8], 1);
});

test('IoU 0.6 is a hit at thresholds 0.50, 0.55 and 0.60 only', () => {
  // 10x10 box against a 10x6 box inside it: IoU 0.6 exactly
  const r = evaluateCoco(gt([{}]), [det({ bbox: box(0, 0, 10, 6) })]);
  near(r.stats[0], 0.3);
  near(r.stats[1], 1);
  near(r.stats[2], 0);
});

test('a detection on a crowd region is neither a hit nor a false positive; the crowd is no miss', () => {
  const g = gt([{}, { bbox: box(100, 100, 40, 40), area: 1600, iscrowd: 1 }]);
  const withCrowd = evaluateCoco(g, [det({}), det({ bbox: box(105, 105, 10, 10), score: 0.99 })]);
  const without = evaluateCoco(gt([{}]), [det({})]).stats;
  // as in the reference, an ignored detection still takes its place in the maxDets budget: with one
  // detection per image, the crowd's (scored higher) is the one kept, so AR@1 is 0
  close(withCrowd.stats, [...without.slice(0, 6), 0, ...without.slice(7)]);
});

test('score ties keep the input order, as the reference stable sort does', () => {
  // two detections with equal scores: first a miss, then the hit → precision at the hit is 1/2
  const r = evaluateCoco(gt([{}]), [det({ bbox: box(60, 60, 10, 10), score: 0.7 }), det({ score: 0.7 })]);
  near(r.stats[0], 0.5);
  const swapped = evaluateCoco(gt([{}]), [det({ score: 0.7 }), det({ bbox: box(60, 60, 10, 10), score: 0.7 })]);
  near(swapped.stats[0], 1);
});

test('a class without ground truth is left out of the mean; its detections do not count against others', () => {
  const r = evaluateCoco(gt([{}], [1], [1, 2]), [det({}), det({ category_id: 2, score: 0.99 })]);
  near(r.stats[0], 1);
  assert.equal(r.perClass.get(2), -1);
});

test('more than 100 detections in an image: only the 100 best count', () => {
  const misses = Array.from({ length: 100 }, (_, i) => det({ bbox: box(200 + i * 20, 200, 10, 10), score: 0.99 }));
  const r = evaluateCoco(gt([{}]), [...misses, det({ score: 0.5 })]);
  near(r.stats[8], 0); // the hit is the 101st
  near(r.stats[0], 0);
});

test('two images, two classes: the mean of the per-class APs', () => {
  const g: CocoGt = {
    images: [{ id: 1 }, { id: 2 }], categories: [{ id: 1 }, { id: 2 }],
    annotations: [
      { id: 1, image_id: 1, category_id: 1, bbox: box(0, 0, 100, 100), area: 10000 },
      { id: 2, image_id: 2, category_id: 2, bbox: box(0, 0, 100, 100), area: 10000 },
    ],
  };
  const r = evaluateCoco(g, [
    { image_id: 1, category_id: 1, bbox: box(0, 0, 100, 100), score: 0.9 },
    { image_id: 2, category_id: 2, bbox: box(300, 300, 10, 10), score: 0.9 },
  ]);
  near(r.stats[0], 0.5);
  near(r.perClass.get(1), 1);
  near(r.perClass.get(2), 0);
  near(r.stats[5], 0.5); // both are large objects
});

test('lithe eval --detections --gt: the 12 numbers under "coco" in --json; bad files exit 2 naming them', async () => {
  const { main } = await import('../src/cli/main.ts');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'lithe-eval-'));
  writeFileSync(join(dir, 'gt.json'), JSON.stringify(gt([{}])));
  writeFileSync(join(dir, 'dets.json'), JSON.stringify([det({})]));
  let out = '';
  let err = '';
  const io = { out: (t: string) => { out += t; }, err: (t: string) => { err += t; } };
  assert.equal(await main(['eval', '--detections', join(dir, 'dets.json'), '--gt', join(dir, 'gt.json'), '--json'], io), 0);
  const j = JSON.parse(out) as { coco: number[] };
  assert.equal(j.coco.length, 12);
  near(j.coco[0], 1);
  out = '';
  assert.equal(await main(['eval', '--detections', join(dir, 'dets.json'), '--gt', join(dir, 'gt.json')], io), 0);
  assert.match(out, /AP @\[\.50:\.95\] all 100\s+1\.0000/);
  writeFileSync(join(dir, 'bad.json'), JSON.stringify([{ image_id: 1 }]));
  assert.equal(await main(['eval', '--detections', join(dir, 'bad.json'), '--gt', join(dir, 'gt.json')], io), 2);
  assert.match(err, /bad\.json: detection 0 needs/);
  assert.equal(await main(['eval', 'model.onnx', '--gt', join(dir, 'gt.json')], io), 2);
  assert.match(err, /eval MODEL needs --data PATH/);
  // no object to find: the reference evaluator's -1 is no number to print; lithe says why
  writeFileSync(join(dir, 'empty.json'), JSON.stringify({ ...gt([{}]), annotations: [] }));
  out = '';
  assert.equal(await main(['eval', '--detections', join(dir, 'dets.json'), '--gt', join(dir, 'empty.json')], io), 2);
  assert.match(err, /empty\.json: no annotations: mAP is undefined/);
  assert.equal(out, '');
});

test('mAP is undefined without images, or without an object that is not a crowd', async () => {
  const { mapUndefined } = await import('../src/metrics/coco.ts');
  const g = gt([{}]);
  assert.equal(mapUndefined(g), undefined);
  assert.equal(mapUndefined({ ...g, images: [] }), 'no images to evaluate');
  assert.equal(mapUndefined({ ...g, annotations: [] }), 'no annotations');
  assert.match(mapUndefined({ ...g, annotations: g.annotations.map((a) => ({ ...a, iscrowd: 1 })) })!, /no annotations that count/);
  // pycocotools' -1 where nothing can be measured, as the evaluator keeps it
  assert.equal(evaluateCoco({ ...g, annotations: [] }, []).stats[0], -1);
});
