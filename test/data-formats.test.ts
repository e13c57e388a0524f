// Data sets in YOLO and VOC form: one tiny data set written in all three formats loads to the same COCO
// boxes; every broken file is refused with its name (and line); image sizes from headers; lithe eval on YOLO.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import jpeg from 'jpeg-js';
import { decodeImage, encodePng, ImageError } from '../src/data/image.ts';
import { imageSize, readImageSize } from '../src/data/image-size.ts';
import { DataError } from '../src/data/coco.ts';
import { loadDetectionSet, toCocoSet } from '../src/data/load.ts';
import { readVoc } from '../src/data/voc.ts';
import { generateSynth } from '../src/data/synth/generate.ts';
import { zooByName } from '../src/zoo/registry.ts';
import { saveModel } from '../src/onnx/io.ts';
import { main } from '../src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'lithe-formats-'));
const write = (path: string, content: string | Uint8Array): string => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
};
const png = (width: number, height: number) => encodePng({ width, height, data: new Uint8Array(width * height * 3).map((_, i) => (i * 5) % 256) });
const jpg = (width: number, height: number) => jpeg.encode({ width, height, data: new Uint8Array(width * height * 4).fill(128) }, 90).data;

// One data set: a.png (64x32) with a cat and a bird, b.jpg (32x32) with a dog (difficult in VOC), c.png (32x16) empty.
const IMAGES: [string, Uint8Array][] = [['a.png', png(64, 32)], ['b.jpg', jpg(32, 32)], ['c.png', png(32, 16)]];
const NAMES = ['cat', 'dog', 'bird'];
const EXPECTED = [
  { image_id: 1, category_id: 1, bbox: [8, 4, 16, 12] },
  { image_id: 1, category_id: 3, bbox: [32, 0, 32, 32] },
  { image_id: 2, category_id: 2, bbox: [0, 0, 8, 16] },
];

const yolo = join(dir, 'yolo');
for (const [name, bytes] of IMAGES) write(join(yolo, 'images', 'val', name), bytes);
const yaml = write(join(yolo, 'data.yaml'), 'path: .\ntrain: images/val\nval: images/val\nnames: [cat, dog, bird]\n');
write(join(yolo, 'labels', 'val', 'a.txt'), '0 0.25 0.3125 0.25 0.375\n\n2 0.75 0.5 0.5 1\n');
write(join(yolo, 'labels', 'val', 'b.txt'), '1 0.125 0.25 0.25 0.5\n');

const voc = join(dir, 'VOCdevkit', 'VOC2007');
const object = (name: string, [xmin, ymin, xmax, ymax]: number[], difficult = 0) =>
  `<object><name>${name}</name><difficult>${difficult}</difficult><bndbox><xmin>${xmin}</xmin><ymin>${ymin}</ymin><xmax>${xmax}</xmax><ymax>${ymax}</ymax></bndbox></object>`;
const annotation = (file: string, [w, h]: number[], objects: string[]) =>
  `<annotation><folder>VOC2007</folder><filename>${file}</filename><size><width>${w}</width><height>${h}</height><depth>3</depth></size>${objects.join('')}</annotation>\n`;
for (const [name, bytes] of IMAGES) write(join(voc, 'JPEGImages', name), bytes);
write(join(voc, 'Annotations', 'a.xml'), annotation('a.png', [64, 32], [object('cat', [9, 5, 24, 16]), object('bird', [33, 1, 64, 32])]));
write(join(voc, 'Annotations', 'b.xml'), annotation('b.jpg', [32, 32], [object('dog', [1, 1, 8, 16], 1)]));
write(join(voc, 'Annotations', 'c.xml'), annotation('c.png', [32, 16], []));
write(join(voc, 'ImageSets', 'Main', 'val.txt'), 'a\nb\nc\n');

const coco = join(dir, 'coco');
for (const [name, bytes] of IMAGES) write(join(coco, 'val', name), bytes);
const cocoJson = write(join(coco, 'val.json'), JSON.stringify({
  images: IMAGES.map(([name], i) => ({ id: i + 1, file_name: `val/${name}`, ...imageSize(IMAGES[i]![1], name) })),
  annotations: EXPECTED.map((a, i) => ({ id: i + 1, ...a, area: a.bbox[2]! * a.bbox[3]!, iscrowd: 0 })),
  categories: NAMES.map((name, i) => ({ id: i + 1, name })),
}));

const boxes = (set: ReturnType<typeof loadDetectionSet>) => set.gt.annotations.map(({ image_id, category_id, bbox }) => ({ image_id, category_id, bbox }));

test('YOLO loads to COCO: ids from 1, boxes in pixels, sizes from the headers, names as categories', () => {
  const set = loadDetectionSet(yaml);
  assert.deepEqual(boxes(set), EXPECTED);
  assert.deepEqual(set.gt.images, [
    { id: 1, file_name: join('images', 'val', 'a.png'), width: 64, height: 32 },
    { id: 2, file_name: join('images', 'val', 'b.jpg'), width: 32, height: 32 },
    { id: 3, file_name: join('images', 'val', 'c.png'), width: 32, height: 16 },
  ]);
  assert.deepEqual(set.gt.categories, [{ id: 1, name: 'cat' }, { id: 2, name: 'dog' }, { id: 3, name: 'bird' }]);
  assert.deepEqual(set.categories, [1, 2, 3]);
  assert.deepEqual(set.gt.annotations.map((a) => [a.area, a.iscrowd]), [[192, 0], [1024, 0], [128, 0]]);
  assert.equal(set.path(set.gt.images[1]!), join(yolo, 'images', 'val', 'b.jpg'));
  assert.deepEqual(boxes(loadDetectionSet(yolo, { split: 'train' })), EXPECTED); // the folder holding data.yaml
});

test('VOC loads to COCO: 1-based inclusive corners made x, y, w, h; difficult ignored; the 20 classes by default', () => {
  const set = loadDetectionSet(join(dir, 'VOCdevkit')); // a VOCdevkit with one year
  assert.equal(set.categories.length, 20);
  assert.deepEqual(boxes(set), [
    { image_id: 1, category_id: 8, bbox: [8, 4, 16, 12] },
    { image_id: 1, category_id: 3, bbox: [32, 0, 32, 32] },
    { image_id: 2, category_id: 12, bbox: [0, 0, 8, 16] },
  ]);
  assert.deepEqual(set.gt.annotations.map((a) => [a.ignore, a.iscrowd]), [[undefined, 0], [undefined, 0], [1, 1]]);
  assert.equal(set.path(set.gt.images[0]!), join(voc, 'JPEGImages', 'a.png'));
  assert.deepEqual(boxes(loadDetectionSet(voc)), boxes(set));
});

test('the same data set as COCO, YOLO and VOC gives the same boxes and classes', () => {
  const fromVoc = toCocoSet(readVoc(voc, { classes: NAMES }));
  assert.deepEqual(boxes(loadDetectionSet(cocoJson)), EXPECTED);
  assert.deepEqual(boxes(loadDetectionSet(coco)), EXPECTED);
  assert.deepEqual(boxes(loadDetectionSet(yaml)), EXPECTED);
  assert.deepEqual(boxes(fromVoc), EXPECTED);
  assert.deepEqual(fromVoc.gt.images.map((i) => [i.width, i.height]), loadDetectionSet(cocoJson).gt.images.map((i) => [i.width, i.height]));
});

/** A copy of `src` in which `change` breaks something; loading it must fail naming `file` (and whatever `problem` matches). */
function refused(src: string, change: (copy: string) => string, problem: RegExp, load: (copy: string) => unknown = (copy) => loadDetectionSet(copy)): void {
  const copy = mkdtempSync(join(dir, 'broken-'));
  cpSync(src, copy, { recursive: true });
  const file = change(copy);
  assert.throws(() => load(copy), (e: unknown) => e instanceof DataError && e.message.startsWith(file) && problem.test(e.message), `${problem}`);
  rmSync(copy, { recursive: true });
}

test('broken YOLO data sets name the file, and the line of a label or list', () => {
  const data = (text: string) => (copy: string) => write(join(copy, 'data.yaml'), text);
  const label = (text: string, line: number) => (copy: string) => `${write(join(copy, 'labels', 'val', 'a.txt'), text)}:${line}:`;
  refused(yolo, data('val: images/val\n'), /no 'names'/);
  refused(yolo, data('names: [a, b, c]\nnc: 4\nval: images/val\n'), /nc is 4 but 'names' has 3 classes/);
  refused(yolo, data('names: {0: a, 2: c}\nval: images/val\n'), /numbers its classes 0\.\.1, not '2'/);
  refused(yolo, data('names: [a, b, c]\ntrain: images/val\n'), /no 'val'/);
  refused(yolo, data('names: [a, b, c]\nval: images/nope\n'), /val 'images\/nope' is not there/);
  refused(yolo, label('0 0.25 0.3125 0.25 0.375\n\n2 0.75 0.5 0.5\n', 3), /4 fields; a label line is 'class cx cy w h'/);
  refused(yolo, label('0 0.25 x 0.25 0.375\n', 1), /'x' is not a number/);
  refused(yolo, label('\n7 0.5 0.5 0.1 0.1\n', 2), /unknown class 7 \(the data set has 3\)/);
  refused(yolo, label('0 0.9 0.5 0.4 0.2\n', 1), /box 0\.9 0\.5 0\.4 0\.2 is empty or lies outside the image/);
  refused(yolo, (copy) => {
    data('names: [a, b, c]\nval: val.txt\n')(copy);
    return `${write(join(copy, 'val.txt'), 'images/val/a.png\n./images/val/zz.png\n')}:2:`;
  }, /image '\.\/images\/val\/zz\.png' is missing/);
});

test('a YOLO box may stick out by 1e-3 and is clipped to the image; a YAML of another kind is refused', () => {
  const copy = mkdtempSync(join(dir, 'slack-'));
  cpSync(yolo, copy, { recursive: true });
  write(join(copy, 'labels', 'val', 'a.txt'), '0 0.5 0.5 1.001 1\n');
  assert.deepEqual(loadDetectionSet(copy).gt.annotations[0]!.bbox, [0, 0, 64, 32]);
  refused(yolo, (c) => write(join(c, 'data.yaml'), '- a\n- b\n'), /a YOLO data\.yaml is a mapping/);
});

test('broken VOC data sets name the file: malformed XML, unknown class, box outside, missing image, wrong size', () => {
  const xml = (name: string, text: string) => (copy: string) => write(join(copy, 'Annotations', name), text);
  refused(voc, (copy) => `${xml('a.xml', '<annotation><filename>a.png</filename>\n<object></annotation>')(copy)}:2:`, /malformed XML/);
  refused(voc, xml('a.xml', annotation('a.png', [64, 32], [object('kitty', [9, 5, 24, 16])])), /object 1 \('kitty'\): unknown class/);
  refused(voc, xml('a.xml', annotation('a.png', [64, 32], [object('cat', [9, 5, 24, 16]), object('cat', [40, 5, 70, 16])])), /object 2 \('cat'\): box 40,5,70,16 lies outside the image \(64x32\)/);
  refused(voc, xml('a.xml', annotation('a.png', [64, 32], [object('cat', [9, 5, 24, 4])])), /box 9,5,24,4 is empty/);
  refused(voc, (copy) => { rmSync(join(copy, 'JPEGImages', 'b.jpg')); return join(copy, 'Annotations', 'b.xml'); }, /image JPEGImages\/b\.jpg is missing/);
  refused(voc, xml('c.xml', annotation('c.png', [16, 32], [])), /<size> says 16x32 but JPEGImages\/c\.png is 32x16/);
  refused(voc, (copy) => { rmSync(join(copy, 'Annotations', 'c.xml')); return `${join(copy, 'ImageSets', 'Main', 'val.txt')}:3:`; }, /image 'c' has no annotation/);
  refused(voc, (copy) => join(copy, 'ImageSets', 'Main', 'train.txt'), /no such file/, (copy) => loadDetectionSet(copy, { split: 'train' }));
});

test('loadDetectionSet dispatches by form and explains the forms it takes', () => {
  const synth = join(dir, 'synth');
  generateSynth({ out: synth, seed: 1, train: 0, val: 2, size: 64 });
  assert.equal(loadDetectionSet(synth).gt.images.length, 2);
  const other = write(join(dir, 'other', 'notes.txt'), 'hello\n');
  assert.throws(() => loadDetectionSet(dirname(other)), (e: unknown) => e instanceof DataError && /other: not a data set lithe reads; give a COCO annotation \.json .* a YOLO data\.yaml .* a Pascal VOC folder/.test(e.message));
  assert.throws(() => loadDetectionSet(other), /notes\.txt: not a data set lithe reads/);
  assert.throws(() => loadDetectionSet(join(dir, 'none')), /none: no such file or folder/);
  assert.throws(() => loadDetectionSet(yaml, { images: coco }), /data\.yaml: a separate image folder goes only with a COCO annotation file/);
  const years = join(dir, 'years');
  cpSync(voc, join(years, 'VOC2007'), { recursive: true });
  cpSync(voc, join(years, 'VOC2012'), { recursive: true });
  assert.throws(() => loadDetectionSet(years), /years: a VOCdevkit with VOC2007, VOC2012; name one of them/);
});

test('imageSize reads PNG and JPEG headers as decodeImage sees them; a JPEG with 80 KiB of metadata too', () => {
  for (const [name, bytes] of IMAGES) {
    const { width, height } = decodeImage(bytes, name);
    assert.deepEqual(imageSize(bytes, name), { width, height });
  }
  const plain = jpg(24, 8);
  // two 40 KiB APP15 segments after SOI push the frame header past the first 64 KiB
  const app = new Uint8Array(40_002).fill(0);
  app.set([0xff, 0xef, 40_000 >> 8, 40_000 & 0xff]);
  const big = write(join(dir, 'big.jpg'), Buffer.concat([plain.subarray(0, 2), app, app, plain.subarray(2)]));
  assert.deepEqual(readImageSize(big), { width: 24, height: 8 });
  assert.deepEqual(decodeImage(readFileSync(big), big).width, 24);
  const named = (pattern: RegExp) => (e: unknown) => e instanceof ImageError && pattern.test(e.message);
  assert.throws(() => imageSize(IMAGES[0]![1].subarray(0, 20), 'cut.png'), named(/^cut\.png: truncated image header/));
  assert.throws(() => imageSize(plain.subarray(0, 30), 'cut.jpg'), named(/^cut\.jpg: truncated image header/));
  assert.throws(() => imageSize(new TextEncoder().encode('GIF89a....'), 'x.gif'), named(/^x\.gif: not a PNG or JPEG image/));
});

test('lithe eval --data data.yaml runs a zoo model end to end; a broken data set exits 2 naming the file', async () => {
  const model = join(dir, 'micro.onnx');
  saveModel(zooByName.get('micro-yolo')!.build({ size: 64, classes: 3 }), model);
  let out = '';
  let err = '';
  const io = { out: (t: string) => { out += t; }, err: (t: string) => { err += t; } };
  assert.equal(await main(['eval', model, '--data', yaml, '--json'], io), 0, err);
  const r = JSON.parse(out) as { coco: number[]; perClass: Record<string, number> };
  assert.equal(r.coco.length, 12);
  assert.ok(r.coco.every((x) => x === -1 || (x >= 0 && x <= 1)));
  assert.deepEqual(Object.keys(r.perClass), ['1', '2', '3']);
  assert.equal(await main(['eval', model, '--data', join(dir, 'other')], io), 2);
  assert.match(err, /other: not a data set lithe reads/);
});
