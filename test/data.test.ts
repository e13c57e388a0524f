// Images, letterboxing and the synthetic benchmark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { decodeImage, encodePng, ImageError } from '../src/data/image.ts';
import { letterbox, unletterbox } from '../src/data/letterbox.ts';
import { generateSynth, SynthError } from '../src/data/synth/generate.ts';
import { SYNTH_CLASSES } from '../src/data/synth/classes.ts';
import { main } from '../src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'lithe-data-'));
const gradient = (w: number, h: number) => ({ width: w, height: h, data: new Uint8Array(w * h * 3).map((_, i) => (i * 7) % 256) });

test('PNG round-trips exactly; JPEG decodes; junk and truncated files name the file', () => {
  const img = gradient(13, 7);
  assert.deepEqual(decodeImage(encodePng(img), 'a.png'), img);
  const rgba = new Uint8Array(8 * 8 * 4).fill(200);
  const j = jpeg.encode({ data: rgba, width: 8, height: 8 }, 90).data;
  const back = decodeImage(j, 'a.jpg');
  assert.deepEqual([back.width, back.height], [8, 8]);
  assert.ok(Math.abs(back.data[0]! - 200) < 4);
  assert.throws(() => decodeImage(new TextEncoder().encode('hello'), 'x.png'), (e: unknown) => e instanceof ImageError && /x\.png: not a PNG or JPEG/.test(e.message));
  const png = encodePng(img);
  assert.throws(() => decodeImage(png.subarray(0, 40), 'cut.png'), /cut\.png: corrupt or truncated/);
});

test('letterbox keeps the aspect, pads with grey, and unletterbox maps boxes back', () => {
  const img = { width: 200, height: 100, data: new Uint8Array(200 * 100 * 3).fill(255) };
  const l = letterbox(img, 64);
  assert.deepEqual([l.scale, l.padX, l.padY], [0.32, 0, 16]);
  assert.ok(Math.abs(l.tensor[0]! - 114 / 255) < 1e-6); // the top row is padding
  assert.equal(l.tensor[32 * 64 + 32], 1); // the middle is the white image
  const b = unletterbox({ x1: 0, y1: 16, x2: 64, y2: 48 }, l, 200, 100);
  assert.deepEqual([b.x1, b.y1, b.x2, b.y2], [0, 0, 200, 100]);
});

test('the synthetic benchmark is deterministic by seed, COCO-shaped, with every class and boxes inside the image', () => {
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  generateSynth({ out: a, seed: 5, train: 12, val: 4, size: 128 });
  generateSynth({ out: b, seed: 5, train: 12, val: 4, size: 128 });
  assert.equal(readFileSync(join(a, 'train.json'), 'utf8'), readFileSync(join(b, 'train.json'), 'utf8'));
  assert.deepEqual(readFileSync(join(a, 'val', '000003.png')), readFileSync(join(b, 'val', '000003.png')));
  const gt = JSON.parse(readFileSync(join(a, 'train.json'), 'utf8')) as { images: { file_name: string; width: number }[]; annotations: { bbox: number[]; category_id: number; area: number }[]; categories: { id: number; name: string }[] };
  assert.equal(gt.images.length, 12);
  assert.deepEqual(gt.categories.map((c) => c.name), SYNTH_CLASSES.map((c) => c.name));
  assert.ok(SYNTH_CLASSES.length >= 8);
  for (const ann of gt.annotations) {
    const [x, y, w, h] = ann.bbox as [number, number, number, number];
    assert.ok(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= 128 && y + h <= 128 && ann.area > 0 && ann.area <= w * h);
  }
  const img = decodeImage(readFileSync(join(a, gt.images[0]!.file_name)), 'first');
  assert.deepEqual([img.width, img.height], [128, 128]);
  const other = join(dir, 'c');
  generateSynth({ out: other, seed: 6, train: 12, val: 0, size: 128 });
  assert.notEqual(readFileSync(join(other, 'train.json'), 'utf8'), readFileSync(join(a, 'train.json'), 'utf8'));
});

test('lithe data synth refuses an existing folder and a bad size, and leaves no half-written folder', async () => {
  let err = '';
  const io = { out: () => {}, err: (t: string) => { err += t; } };
  const out = join(dir, 'cli');
  assert.equal(await main(['data', 'synth', '--out', out, '--train', '3', '--val', '1', '--size', '64'], io), 0);
  assert.equal(await main(['data', 'synth', '--out', out], io), 2);
  assert.match(err, /already exists/);
  assert.equal(await main(['data', 'synth', '--out', join(dir, 'odd'), '--size', '100'], io), 2);
  assert.equal(existsSync(join(dir, 'odd')), false);
  assert.throws(() => generateSynth({ out, train: 1 }), SynthError);
  writeFileSync(join(dir, 'note'), '');
});
