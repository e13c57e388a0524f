// Decoding detector outputs and NMS on hand-built maps, and on real zoo models run in onnxruntime-node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { nms } from '../src/metrics/decode/nms.ts';
import { decodeYolo } from '../src/metrics/decode/yolo.ts';
import { decodeAnchorFree } from '../src/metrics/decode/anchor-free.ts';
import { decodeSsd, ssdPriors, type SsdLayout } from '../src/metrics/decode/ssd.ts';
import { encodeModel } from '../src/onnx/io.ts';
import { getMetadata } from '../src/onnx/make.ts';
import { zooByName } from '../src/zoo/registry.ts';
import type { Detection } from '../src/metrics/decode/types.ts';

const d = (x1: number, y1: number, x2: number, y2: number, score: number, cls = 0): Detection => ({ x1, y1, x2, y2, score, cls });
const near = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) < tol, `${a} vs ${b}`);

test('NMS keeps the best of overlapping boxes of a class, and boxes of other classes', () => {
  const kept = nms([d(0, 0, 10, 10, 0.9), d(1, 1, 11, 11, 0.8), d(1, 1, 11, 11, 0.85, 1), d(50, 50, 60, 60, 0.3)], { iou: 0.5 });
  assert.deepEqual(kept.map((k) => [k.score, k.cls]), [[0.9, 0], [0.85, 1], [0.3, 0]]);
});

test('NMS handles thousands of boxes, and honours maxDetections', () => {
  const boxes = Array.from({ length: 5000 }, (_, i) => d((i % 100) * 7, Math.floor(i / 100) * 7, (i % 100) * 7 + 20, Math.floor(i / 100) * 7 + 20, ((i * 7919) % 1000) / 1000, i % 3));
  const kept = nms(boxes, { iou: 0.45, maxDetections: 300 });
  assert.ok(kept.length > 0 && kept.length <= 300);
  for (let i = 1; i < kept.length; i++) assert.ok(kept[i - 1]!.score >= kept[i]!.score);
});

/** A 2x2 map for one anchor and two classes, all logits strongly negative except at one cell. */
function map(cell: number, logits: number[]): { data: Float32Array; dims: number[] } {
  const data = new Float32Array(7 * 4).fill(-20);
  logits.forEach((v, k) => { data[k * 4 + cell] = v; });
  return { data, dims: [1, 7, 2, 2] };
}

test('YOLOv3 decoding: centre sigmoid + cell, size exp x anchor, score objectness x class', () => {
  // cell (x 1, y 0) of a 2x2 map on a 64x64 input (stride 32); anchor 10x14; tx = ty = tw = th = 0
  const dets = decodeYolo(map(1, [0, 0, 0, 0, 20, -20, 20]), { mask: [0], anchors: [10, 14], classes: 2 }, [64, 64], 0, 0.5);
  assert.equal(dets.length, 1);
  const [b] = dets;
  near(b!.x1, 48 - 5); near(b!.x2, 48 + 5); near(b!.y1, 16 - 7); near(b!.y2, 16 + 7);
  assert.equal(b!.cls, 1);
  near(b!.score, 1, 1e-6);
});

test('YOLOv5 decoding: centre 2 sigmoid - 0.5 + cell, size (2 sigmoid)^2 x anchor', () => {
  const [b] = decodeYolo(map(2, [2, 0, 1, 0, 20, 20, -20]), { mask: [0], anchors: [10, 14], classes: 2, style: 'v5' }, [64, 64], 0, 0.5);
  const s = (x: number) => 1 / (1 + Math.exp(-x));
  near((b!.x1 + b!.x2) / 2, (2 * s(2) - 0.5 + 0) * 32);
  near((b!.y1 + b!.y2) / 2, (2 * s(0) - 0.5 + 1) * 32);
  near(b!.x2 - b!.x1, (2 * s(1)) ** 2 * 10);
  near(b!.y2 - b!.y1, 14);
});

test('darknet scale_x_y (yolov4): centre sigmoid x s - (s - 1)/2 + cell, hand-computed as get_yolo_box does', () => {
  // cell (x 1, y 0) of a 2x2 map on a 64x64 input; mask 1 picks anchor (10, 14); scale_x_y 1.05
  // tx = ln 3: sigmoid 0.75, scaled 0.75 * 1.05 - 0.025 = 0.7625, b.x = (1 + 0.7625) / 2 = 0.88125 of 64 = 56.4
  // ty = 0: sigmoid 0.5 stays 0.5, b.y = 0.5 / 2 of 64 = 16; tw = ln 2: w = 2 * 10 = 20; th = 0: h = 14
  // objectness sigmoid(20) ~ 1, class 0 sigmoid(ln 3) = 0.75
  const [b, ...rest] = decodeYolo(map(1, [Math.log(3), 0, Math.log(2), 0, 20, Math.log(3), -20]), { mask: [1], anchors: [5, 5, 10, 14], classes: 2, scaleXY: 1.05 }, [64, 64], 0, 0.5);
  assert.equal(rest.length, 0);
  near(b!.x1, 46.4, 1e-5); near(b!.x2, 66.4, 1e-5); near(b!.y1, 9, 1e-5); near(b!.y2, 23, 1e-5);
  assert.equal(b!.cls, 0);
  near(b!.score, 0.75, 1e-6);
});

test('darknet new_coords (scaled-YOLOv4): the map is already activated; centre v x s - (s - 1)/2, size 4 v^2 x anchor', () => {
  // tx = 0.75, s = 2: 2 * 0.75 - 0.5 = 1, b.x = (1 + 1) / 2 of 64 = 64; ty = 0.25: 0, b.y = 0
  // tw = 0.6: 0.36 * 4 * 10 = 14.4; th = 0.5: 0.25 * 4 * 14 = 14; score 0.9 * 0.5 (class 1 0.9 * 0.1 < 0.3)
  const [b, ...rest] = decodeYolo(map(1, [0.75, 0.25, 0.6, 0.5, 0.9, 0.5, 0.1]), { mask: [1], anchors: [5, 5, 10, 14], classes: 2, scaleXY: 2, newCoords: true }, [64, 64], 0, 0.3);
  assert.equal(rest.length, 0);
  near(b!.x1, 64 - 7.2, 1e-5); near(b!.x2, 64 + 7.2, 1e-5); near(b!.y1, -7, 1e-5); near(b!.y2, 7, 1e-5);
  near(b!.score, 0.45, 1e-6);
});

test('anchor-free decoding reads centre-size boxes and class scores per prediction', () => {
  // 2 predictions, 4 box rows and 2 class rows: [N, 6, 2]
  const data = Float32Array.from([100, 50, 200, 60, 20, 30, 10, 10, 0.9, 0.1, 0.2, 0.8]);
  const dets = decodeAnchorFree({ data, dims: [1, 6, 2] }, 0, 0.5);
  assert.deepEqual(dets.map((x) => [x.x1, x.y1, x.x2, x.y2, x.cls]), [[90, 195, 110, 205, 0], [35, 55, 65, 65, 1]]);
});

test('SSD priors follow the zoo model layout, and zero offsets decode to the priors', async () => {
  const m = zooByName.get('ssd-lite')!.build({ size: 320, classes: 3 });
  const layout = JSON.parse(getMetadata(m, 'lithe.ssd')!) as SsdLayout;
  const priors = ssdPriors(layout);
  assert.equal(priors.length, 2034);
  const P = priors.length;
  const boxes = { data: new Float32Array(P * 4), dims: [1, P, 4] };
  const scores = { data: new Float32Array(P * 4).map((_, i) => (i % 4 === 2 ? 5 : 0)), dims: [1, P, 4] };
  const dets = decodeSsd(boxes, scores, priors, [320, 320], 0, 0.5);
  assert.equal(dets.length, P); // class 2 (index 1 after the background) wins everywhere
  near((dets[0]!.x1 + dets[0]!.x2) / 2, priors[0]!.cx * 320, 1e-6);
  const s = await ort.InferenceSession.create(encodeModel(m));
  const r = await s.run({ images: new ort.Tensor('float32', new Float32Array(3 * 320 * 320).fill(0.2), [1, 3, 320, 320]) });
  const real = decodeSsd(r.boxes as never, r.scores as never, priors, [320, 320], 0, 0.2);
  assert.ok(real.every((x) => Number.isFinite(x.x1) && x.cls >= 0 && x.cls < 3));
});

test('a zoo YOLO model run in onnxruntime decodes with the anchors in its metadata', async () => {
  const m = zooByName.get('yolov3-tiny')!.build({ size: 128, classes: 4 });
  const heads = JSON.parse(getMetadata(m, 'lithe.yolo')!) as { output: string; mask: number[]; anchors: number[]; classes: number }[];
  const s = await ort.InferenceSession.create(encodeModel(m));
  const r = await s.run({ images: new ort.Tensor('float32', new Float32Array(3 * 128 * 128).fill(0.3), [1, 3, 128, 128]) });
  const dets = heads.flatMap((h) => decodeYolo(r[h.output] as never, h, [128, 128], 0, 0.01));
  assert.ok(dets.every((x) => x.cls < 4 && x.score <= 1 && x.x2 > x.x1));
  assert.ok(nms(dets).length <= 300);
});

test('head metadata is checked where it is read: every zoo and darknet model\'s passes, a corrupt one is a LitheError naming the key', async () => {
  const { yoloMetadata } = await import('../src/metrics/decode/yolo.ts');
  const { ssdMetadata } = await import('../src/metrics/decode/ssd.ts');
  const { setMetadata } = await import('../src/onnx/make.ts');
  const { LitheError } = await import('../src/errors.ts');
  for (const name of ['micro-yolo', 'yolov3-tiny', 'yolov4-tiny', 'yolov5n']) assert.ok(yoloMetadata(zooByName.get(name)!.build({ size: 64 }))?.length, name);
  assert.deepEqual(yoloMetadata(zooByName.get('yolov4-tiny')!.build({ size: 64 }))!.map((h) => h.scaleXY), [1.05, 1.05]);
  assert.equal(ssdMetadata(zooByName.get('ssd-lite')!.build({ size: 64 }))?.classes, 80);
  const m = zooByName.get('micro-yolo')!.build({ size: 64 });
  const cases: [string, string, RegExp][] = [
    ['lithe.yolo', '{', /^lithe\.yolo metadata: not valid JSON$/],
    ['lithe.yolo', '[{"output": "y", "mask": [0], "anchors": [10, 14, 23], "classes": 2}]', /anchors must be \(width, height\) pairs, got 3 numbers/],
    ['lithe.yolo', '[{"output": "y", "mask": [3], "anchors": [10, 14], "classes": 2}]', /mask 3 is out of range for 1 anchors/],
    ['lithe.yolo', '[{"output": "y", "mask": [0], "anchors": [10, 14], "classes": 2, "style": "v8"}]', /\[0\]\.style must be equal to one of the allowed values \("v3", "v5"\)/],
    ['lithe.yolo', '[{"output": "y", "mask": [0], "anchors": [10, 14], "classes": 2, "scaleXY": 0}]', /\[0\]\.scaleXY must be > 0/],
    ['lithe.yolo', '[{"output": "y", "mask": [0], "anchors": [10, 14], "classes": 2, "newCoords": 1}]', /\[0\]\.newCoords must be boolean/],
    ['lithe.yolo', '[{"output": "y", "mask": [0], "anchors": [10, 14], "classes": 2, "newCoords": true, "style": "v3"}]', /head 0: newCoords sizes boxes as \(2p\)² x anchor, style v3 as exp\(t\) x anchor/],
    ['lithe.ssd', '{"classes": 2, "sizes": [2], "anchors": [2, 2], "minScale": 0.2, "maxScale": 0.9, "aspectRatios": [[2]]}', /lithe\.ssd metadata: 1 map sizes but 2 anchor counts/],
  ];
  for (const [key, value, problem] of cases) {
    setMetadata(m, key, value);
    const read = key === 'lithe.yolo' ? () => yoloMetadata(m) : () => ssdMetadata(m);
    assert.throws(read, (e: unknown) => e instanceof LitheError && problem.test(e.message), value);
  }
});
