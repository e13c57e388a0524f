// Input sizes are height x width everywhere images meet a model: letterboxing, calibration batches,
// evaluation, latency; a model whose batch is fixed is fed batches of that size; what still needs a square
// (training's augmentation) says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelProto } from 'onnx-buf';
import { letterbox, PAD, unletterbox } from '../src/data/letterbox.ts';
import { DetectionLoader } from '../src/data/batches.ts';
import { AUGMENT_DEFAULTS, NO_AUGMENT } from '../src/data/augment.ts';
import { parseSize, square } from '../src/data/size.ts';
import { generateSynth } from '../src/data/synth/generate.ts';
import { loadDetectionSet } from '../src/data/load.ts';
import { evaluateModel, fixedBatch, inputSize } from '../src/metrics/evaluate-model.ts';
import { measureLatency } from '../src/runtime/latency.ts';
import { prepareModel } from '../src/onnx/prepare/index.ts';
import { DataType, valueInfo } from '../src/onnx/make.ts';
import { LitheError } from '../src/errors.ts';
import { dynamicModel } from './support/foreign/dynamic.ts';
import { constantsModel } from './support/foreign/constants.ts';

const dir = mkdtempSync(join(tmpdir(), 'lithe-size-'));
generateSynth({ out: join(dir, 'synth'), seed: 0, train: 8, val: 8, size: 64 });
const val = loadDetectionSet(join(dir, 'synth'), { split: 'val' });
const train = loadDetectionSet(join(dir, 'synth'), { split: 'train' });
const image = (w: number, h: number) => ({ width: w, height: h, data: Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 37) % 256) });

test('sizes: N and HxW parse as height x width; a square is asked for by name', () => {
  assert.deepEqual([parseSize('416'), parseSize('384x640'), parseSize('0'), parseSize('4x'), parseSize('x4')], [[416, 416], [384, 640], undefined, undefined, undefined]);
  assert.equal(square([64, 64], 'x'), 64);
  assert.throws(() => square([48, 64], 'augmentation'), (e: Error) => e instanceof LitheError && /augmentation needs a square input for now; this model takes 48x64 \(height x width\)/.test(e.message));
});

test('letterbox into height x width: the image centred at its aspect, grey around, boxes back to the image', () => {
  const l = letterbox(image(200, 100), [48, 64]);
  assert.equal(l.tensor.length, 3 * 48 * 64);
  assert.deepEqual([l.size, l.height, l.scale, l.padX, l.padY], [64, 48, 0.32, 0, 8]);
  assert.equal(l.tensor[0], Math.fround(PAD), 'the top padding row');
  assert.notEqual(l.tensor[8 * 64], Math.fround(PAD), 'the first image row');
  assert.equal(l.tensor[40 * 64], Math.fround(PAD), 'the bottom padding row');
  const b = unletterbox({ x1: 0, y1: 8, x2: 64, y2: 40 }, l, 200, 100);
  assert.deepEqual(b, { x1: 0, y1: 0, x2: 200, y2: 100 });
  // a square size is the old call, unchanged
  assert.deepEqual(letterbox(image(200, 100), 64).tensor, letterbox(image(200, 100), [64, 64]).tensor);
});

test('calibration batches at height x width are letterboxed images with their boxes; augmentation refuses a non-square size', () => {
  const loader = new DetectionLoader(train, { size: [48, 64], batch: 4, shuffle: false, augment: NO_AUGMENT });
  const b = loader.batch(0, 0);
  assert.equal(b.input.length, 4 * 3 * 48 * 64);
  const first = letterbox(loader.sample(0).image, [48, 64]);
  assert.deepEqual(b.input.subarray(0, 3 * 48 * 64), first.tensor);
  const boxes = b.targets[0]!.boxes;
  assert.ok(boxes.length > 0 && boxes.every((v, i) => v >= 0 && v <= (i % 2 ? 48 : 64)), `${boxes}`);
  assert.throws(() => new DetectionLoader(train, { size: [48, 64], batch: 2, augment: AUGMENT_DEFAULTS }).batch(0, 0), /augmentation \(training\) needs a square input/);
});

const at = (m: ModelProto, size: [number, number]) => prepareModel(m, { input: size, requireSize: true }).model;

test('evaluation and latency run a non-square model at its size', async () => {
  const m = at(dynamicModel({ litheHead: true }).model, [48, 64]);
  assert.deepEqual(inputSize(m), [48, 64]);
  const r = await evaluateModel(m, val, { threads: 1, batch: 3 });
  assert.equal(r.images, 8);
  assert.equal(r.stats.length, 12);
  const l = await measureLatency(m, { runs: 3, warmup: 1 });
  assert.ok(l.median_ms > 0);
  await assert.rejects(measureLatency(dynamicModel().model, { runs: 1 }), /symbolic dimensions other than the batch \(batch x 3 x height x width\): --size/);
  assert.throws(() => inputSize(dynamicModel().model), /input 'images' has no fixed size \(batch x 3 x height x width\)/);
});

test('a model whose batch is fixed at 1 is evaluated one image at a time', async () => {
  const m = constantsModel({ litheHead: true }).model;
  m.graph!.input[0] = valueInfo('input', DataType.FLOAT, [1, 3, 64, 64]);
  assert.equal(fixedBatch(m), 1);
  const r = await evaluateModel(m, val, { threads: 1, batch: 8 });
  assert.equal(r.images, 8);
  await assert.rejects(measureLatency(m, { batch: 4, runs: 1 }), /takes a batch of 1 .*--batch 4 cannot be fed/);
});
