// VOC AP at IoU 0.5 on hand-worked cases, in both interpolations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vocAp11, vocApAll, vocCurve, type VocBox, type VocDetection } from '../src/metrics/voc.ts';

const g = (image: number, x: number, difficult = false): VocBox => ({ image, bbox: [x, 0, 10, 10], difficult });
const d = (image: number, x: number, score: number): VocDetection => ({ image, bbox: [x, 0, 10, 10], score });
const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

test('two objects, a hit, a false positive, a hit: precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1', () => {
  const { recall, precision } = vocCurve([g(1, 0), g(2, 0)], [d(1, 0, 0.9), d(1, 50, 0.8), d(2, 0, 0.7)]);
  assert.deepEqual(recall, [0.5, 0.5, 1]);
  assert.deepEqual(precision, [1, 0.5, 2 / 3]);
  // all-point: 0.5 x 1 + 0.5 x 2/3; 11-point: 6 points at 1 (0 to 0.5) and 5 at 2/3
  near(vocApAll(recall, precision), 0.5 + 0.5 * (2 / 3));
  near(vocAp11(recall, precision), (6 + 5 * (2 / 3)) / 11);
});

test('a second detection of the same object is a false positive; a difficult object is neither', () => {
  const dup = vocCurve([g(1, 0)], [d(1, 0, 0.9), d(1, 1, 0.8)]);
  assert.deepEqual(dup.precision, [1, 0.5]);
  const hard = vocCurve([g(1, 0), g(1, 100, true)], [d(1, 100, 0.95), d(1, 0, 0.9)]);
  assert.deepEqual(hard.precision, [1]);
  near(vocApAll(hard.recall, hard.precision), 1);
});

test('no detections: AP 0', () => {
  const { recall, precision } = vocCurve([g(1, 0)], []);
  near(vocApAll(recall, precision), 0);
  near(vocAp11(recall, precision), 0);
});
