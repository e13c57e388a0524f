// Augmentation and batching: no jitter is plain letterboxing; boxes follow their pixels through scale,
// translation, flips and mosaics; HSV jitter; shuffles and batches that depend only on seed and epoch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { augment, jitterHsv, AUGMENT_DEFAULTS, NO_AUGMENT, type Sample } from '../src/data/augment.ts';
import { letterbox } from '../src/data/letterbox.ts';
import { DetectionLoader, permutation } from '../src/data/batches.ts';
import { LocalBatches, WorkerBatches } from '../src/data/prefetch.ts';
import { LitheError } from '../src/errors.ts';
import { encodePng, type Image } from '../src/data/image.ts';
import { loadCoco } from '../src/data/coco.ts';
import { mulberry32 } from '../src/util/random.ts';

/** A grey image with one saturated rectangle per box, in the colour `colour(i)`. */
function scene(width: number, height: number, boxes: number[][], colour = (_: number) => [255, 0, 0]): Sample {
  const data = new Uint8Array(width * height * 3).fill(90);
  boxes.forEach(([x1, y1, x2, y2], i) => {
    for (let y = y1!; y < y2!; y++) for (let x = x1!; x < x2!; x++) data.set(colour(i), (y * width + x) * 3);
  });
  return { image: { width, height, data }, boxes: Float32Array.from(boxes.flat()), classes: Int32Array.from(boxes.map((_, i) => i)) };
}

/** The bounding box of the output pixels that are mostly the colour (red, green or blue channel `c`). */
function extent(t: Float32Array, size: number, c: number): number[] | null {
  const plane = size * size;
  let [x1, y1, x2, y2] = [size, size, -1, -1];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const o = y * size + x;
      const [r, g, b] = [t[o]!, t[plane + o]!, t[2 * plane + o]!];
      const v = [r, g, b][c]!;
      if (v > 0.7 && [r, g, b].every((u, k) => k === c || u < 0.3)) { x1 = Math.min(x1, x); y1 = Math.min(y1, y); x2 = Math.max(x2, x + 1); y2 = Math.max(y2, y + 1); }
    }
  }
  return x2 < 0 ? null : [x1, y1, x2, y2];
}

test('without jitter, augmentation is letterboxing and boxes scale and shift with the image', () => {
  const s = scene(200, 120, [[20, 30, 60, 90]]);
  const out = augment([s], 64, mulberry32(1), NO_AUGMENT);
  const l = letterbox(s.image, 64);
  assert.ok(out.tensor.every((v, i) => Math.abs(v - l.tensor[i]!) < 1e-6));
  // 200 × 120 fills 64 × 38 pixels: x scales by 64/200, y by 38/120
  const want = [20, 30, 60, 90].map((v, i) => (i % 2 ? v * (38 / 120) + l.padY : v * (64 / 200) + l.padX));
  out.boxes.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-4, `${[...out.boxes]} vs ${want}`));
});

test('a flip mirrors pixels and boxes exactly', () => {
  const s = scene(64, 64, [[5, 10, 20, 30]]);
  const out = augment([s], 64, mulberry32(1), { ...NO_AUGMENT, flip: 1 });
  const l = letterbox(s.image, 64);
  for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) assert.equal(out.tensor[y * 64 + x], l.tensor[y * 64 + 63 - x]);
  assert.deepEqual([...out.boxes], [44, 10, 59, 30]);
});

test('boxes enclose their own pixels through random scale, translation and flips', () => {
  const s = scene(160, 100, [[10, 10, 50, 40], [90, 50, 150, 95]], (i) => (i ? [0, 255, 0] : [255, 0, 0]));
  for (let seed = 0; seed < 40; seed++) {
    const out = augment([s], 96, mulberry32(seed), { ...AUGMENT_DEFAULTS, hsv: [0, 0, 0] });
    out.classes.forEach((c, i) => {
      const seen = extent(out.tensor, 96, c);
      assert.ok(seen, `seed ${seed}: object ${c} kept but not visible`);
      const box = [...out.boxes.subarray(4 * i, 4 * i + 4)];
      // bilinear edges blur by a pixel
      seen.forEach((v, k) => assert.ok(Math.abs(v - box[k]!) <= 1.5, `seed ${seed}: object ${c} at ${seen} but box ${box}`));
    });
  }
});

test('mosaics place four images around a random centre; every kept box encloses its pixels', () => {
  const colours = [[255, 0, 0], [0, 255, 0], [0, 0, 255]];
  const samples = [0, 1, 2].map((c) => {
    const s = scene(80, 60, [[20, 15, 60, 45]], () => colours[c]!);
    return { ...s, classes: Int32Array.of(c) };
  });
  let kept = 0;
  for (let seed = 0; seed < 30; seed++) {
    const out = augment([samples[0]!, samples[1]!, samples[2]!, samples[0]!], 96, mulberry32(seed), { ...AUGMENT_DEFAULTS, hsv: [0, 0, 0], mosaic: 1 });
    for (const c of [1, 2]) { // each appears once, so its pixels are its box's
      const i = out.classes.indexOf(c);
      if (i < 0) continue;
      kept++;
      const seen = extent(out.tensor, 96, c)!;
      const box = [...out.boxes.subarray(4 * i, 4 * i + 4)];
      seen.forEach((v, k) => assert.ok(Math.abs(v - box[k]!) <= 1.5, `seed ${seed}: object ${c} at ${seen} but box ${box}`));
    }
  }
  assert.ok(kept > 30, `only ${kept} objects survived 30 mosaics`);
});

test('HSV jitter: unit gains are the identity; the value gain scales the brightest channel', () => {
  const t = new Float32Array([0.2, 0.9, 0.5, 0.4, 0.1, 0.5]);
  const id = t.slice();
  jitterHsv(id, 2, 1, 1, 1);
  id.forEach((v, i) => assert.ok(Math.abs(v - t[i]!) < 1e-6));
  const dark = t.slice();
  jitterHsv(dark, 2, 1, 1, 0.5);
  assert.ok(Math.abs(dark[2]! - 0.25) < 1e-6 && Math.abs(dark[0]! - 0.1) < 1e-6);
});

test('shuffles depend only on seed and epoch and are permutations', () => {
  const a = permutation(100, 7, 0);
  assert.deepEqual(a, permutation(100, 7, 0));
  assert.notDeepEqual(a, permutation(100, 7, 1));
  assert.notDeepEqual(a, permutation(100, 8, 0));
  assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i));
});

function fiveImages(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-batches-'));
  mkdirSync(join(dir, 'img'));
  const images = [0, 1, 2, 3, 4].map((i) => {
    const s = scene(40 + 8 * i, 32, [[4, 4, 20, 20]]);
    writeFileSync(join(dir, 'img', `${i}.png`), encodePng(s.image as Image));
    return { id: i + 1, file_name: `img/${i}.png`, width: s.image.width, height: 32 };
  });
  const annotations = images.map((img, i) => ({ id: i + 1, image_id: img.id, category_id: 1, bbox: [4, 4, 16, 16], area: 256, iscrowd: i === 4 ? 1 : 0 }));
  writeFileSync(join(dir, 'gt.json'), JSON.stringify({ images, annotations, categories: [{ id: 1, name: 'square' }] }));
  return join(dir, 'gt.json');
}

test('a batch is the same however it is reached; crowds are no targets; dropLast drops the ragged batch', () => {
  const set = loadCoco(fiveImages());
  const loader = new DetectionLoader(set, { size: 32, batch: 2, seed: 3, augment: AUGMENT_DEFAULTS });
  const all = [...loader.epoch(1)];
  assert.equal(all.length, 3);
  assert.deepEqual(loader.batch(1, 2), all[2]);
  assert.deepEqual([...loader.epoch(1, 1)][0], all[1]);
  assert.deepEqual(all.flatMap((b) => b.imageIds).sort(), [1, 2, 3, 4, 5]);
  const crowd = all.flatMap((b) => b.targets.filter((_, k) => b.imageIds[k] === 5));
  assert.equal(crowd[0]!.classes.length, 0);
  assert.equal(new DetectionLoader(set, { size: 32, batch: 2, dropLast: true }).batchesPerEpoch(), 2);
  const plain = new DetectionLoader(set, { size: 32, batch: 5, shuffle: false }).batch(0, 0);
  assert.deepEqual(plain.imageIds, [1, 2, 3, 4, 5]);
});

test('batch workers draw exactly the batches of the training thread, in any order asked', async () => {
  const set = loadCoco(fiveImages());
  const options = { size: 32, batch: 2, seed: 3, augment: { ...AUGMENT_DEFAULTS, mosaic: 0.5 } };
  const local = new DetectionLoader(set, options);
  const pool = new WorkerBatches(set, options, 2, 3);
  try {
    for (const [e, b] of [[0, 0], [0, 1], [0, 2], [1, 0], [3, 2], [1, 1]] as const) assert.deepEqual(await pool.get(e, b), local.batch(e, b), `epoch ${e} batch ${b}`);
  } finally {
    await pool.close();
  }
});

test('closing a pool while its prefetches are being drawn ends every worker cleanly', async () => {
  const set = loadCoco(fiveImages());
  const options = { size: 32, batch: 2, seed: 3, augment: { ...AUGMENT_DEFAULTS, mosaic: 1 } };
  for (let round = 0; round < 5; round++) {
    const pool = new WorkerBatches(set, options, 2, 6);
    await pool.get(round, 0);
    await pool.close(); // six batches still queued or being decoded
  }
});

test('a broken image found in a batch worker is a LitheError in this thread, with the message and exit code it has here', async () => {
  const file = fiveImages();
  const set = loadCoco(file);
  // its header intact, its pixels cut short: the set loads, the batch does not
  const png = readFileSync(join(file, '..', 'img', '0.png'));
  writeFileSync(join(file, '..', 'img', '0.png'), png.subarray(0, png.length - 30));
  const options = { size: 32, batch: 5, shuffle: false };
  const here = await new LocalBatches(set, options).get(0, 0).then(() => undefined, (e: unknown) => e);
  assert.ok(here instanceof LitheError && /0\.png: corrupt or truncated PNG/.test(here.message), String(here));
  const pool = new WorkerBatches(set, options, 1);
  try {
    await assert.rejects(pool.get(0, 0), (e: unknown) => e instanceof LitheError && e.message === here.message && e.exit === here.exit);
  } finally {
    await pool.close();
  }
});
