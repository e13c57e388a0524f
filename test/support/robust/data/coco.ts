// COCO data sets a user can get wrong, each a change to one small valid set (fixtures.ts): the file, its
// shape, its meaning, and its images. Every one must be refused naming the file; the controls must run.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RobustCase } from '../types.ts';
import { evalCase } from './case.ts';
import { cocoSet, cut, fifo, jpg, png, write, type CocoJson } from './fixtures.ts';

type Change = (gt: CocoJson) => void;
const ann = (gt: CocoJson, i = 0) => gt.annotations[i]!;
const img = (gt: CocoJson, i = 0) => gt.images[i]!;

/** A change to the annotation file's content. */
const bad = (name: string, change: Change): RobustCase => evalCase(`coco: ${name}`, 'fail', (dir) => cocoSet(dir, change));
/** The annotation file replaced by `text`. */
const text = (name: string, content: string): RobustCase => evalCase(`coco: ${name}`, 'fail', (dir) => { cocoSet(dir); return write(join(dir, 'ann.json'), content); });
/** Image a.png replaced by what `replace` leaves at its path. */
const image = (name: string, replace: (path: string) => void, subprocess = false): RobustCase =>
  evalCase(`coco: ${name}`, 'fail', (dir) => { const file = cocoSet(dir); replace(join(dir, 'a.png')); return file; }, { subprocess });
const replaced = (content: string | Uint8Array) => (path: string) => writeFileSync(path, content);

const shape: RobustCase[] = [
  text('malformed JSON', '{"images": [{"id": 1,'),
  text('an empty file', ''),
  text('JSON that is a list', '[]'),
  text('JSON that is a number', '42'),
  text('JSON null', 'null'),
  text('NaN in a box', JSON.stringify({ images: [{ id: 1, file_name: 'a.png', width: 32, height: 32 }], annotations: [], categories: [] }).replace('"annotations":[]', '"annotations":[{"id":1,"image_id":1,"category_id":1,"bbox":[NaN,1,2,3]}]')),
  text('1e999 (Infinity) in a box', '{"images":[{"id":1,"file_name":"a.png","width":32,"height":32}],"annotations":[{"id":1,"image_id":1,"category_id":1,"bbox":[1e999,1,2,3]}],"categories":[{"id":1},{"id":2}]}'),
  bad('no "images"', (gt) => { delete (gt as Partial<CocoJson>).images; }),
  bad('no "annotations"', (gt) => { delete (gt as Partial<CocoJson>).annotations; }),
  bad('no "categories"', (gt) => { delete (gt as Partial<CocoJson>).categories; }),
  bad('"images" an object', (gt) => { (gt as unknown as Record<string, unknown>).images = { 1: 'a.png' }; }),
  bad('images: [null]', (gt) => { gt.images = [null as never]; }),
  bad('an image that is a string', (gt) => { gt.images[0] = 'a.png' as never; }),
  bad('annotations: [null]', (gt) => { gt.annotations = [null as never]; }),
  bad('categories: [null]', (gt) => { gt.categories = [null as never]; }),
  bad('a numeric file_name', (gt) => { img(gt).file_name = 5; }),
  bad('an empty file_name', (gt) => { img(gt).file_name = ''; }),
  bad('a null file_name', (gt) => { img(gt).file_name = null; }),
  bad('an image without width', (gt) => { delete img(gt).width; }),
  bad('width 0', (gt) => { img(gt).width = 0; }),
  bad('a negative height', (gt) => { img(gt).height = -32; }),
  bad('a fractional width', (gt) => { img(gt).width = 32.5; }),
  bad('a width in a string', (gt) => { img(gt).width = '32'; }),
  bad('an image id in a string', (gt) => { img(gt).id = '1'; }),
  bad('no bbox', (gt) => { delete ann(gt).bbox; }),
  bad('bbox of strings', (gt) => { ann(gt).bbox = ['10', '10', '5', '5']; }),
  bad('bbox of two numbers', (gt) => { ann(gt).bbox = [10, 10]; }),
  bad('bbox of five numbers', (gt) => { ann(gt).bbox = [1, 2, 3, 4, 5]; }),
  bad('bbox null', (gt) => { ann(gt).bbox = null; }),
  bad('bbox an object', (gt) => { ann(gt).bbox = { x: 1, y: 1, w: 2, h: 2 }; }),
  bad('a category_id in a string', (gt) => { ann(gt).category_id = '1'; }),
  bad('an annotation without id', (gt) => { delete ann(gt).id; }),
  bad('iscrowd 2', (gt) => { ann(gt).iscrowd = 2; }),
  bad('a negative area', (gt) => { ann(gt).area = -5; }),
  bad('an area in a string', (gt) => { ann(gt).area = '120'; }),
];

const meaning: RobustCase[] = [
  bad('duplicate image ids', (gt) => { img(gt, 1).id = 1; }),
  bad('duplicate annotation ids', (gt) => { ann(gt, 1).id = 1; }),
  bad('duplicate category ids', (gt) => { gt.categories[1]!.id = 1; }),
  bad('an annotation on a missing image id', (gt) => { ann(gt).image_id = 7; }),
  bad('an annotation of an unknown category', (gt) => { ann(gt).category_id = 99; }),
  bad('a negative box width', (gt) => { ann(gt).bbox = [10, 10, -5, 5]; }),
  bad('a zero-size box', (gt) => { ann(gt).bbox = [10, 10, 0, 5]; }),
  bad('a box outside its image', (gt) => { ann(gt).bbox = [20, 20, 30, 30]; }),
  bad('a box beyond the slack at the left', (gt) => { ann(gt).bbox = [-3, 0, 10, 10]; }),
  bad('a box of huge numbers', (gt) => { ann(gt).bbox = [1e300, 1e300, 1e300, 1e300]; }),
  bad('a huge declared width', (gt) => { img(gt).width = 1e300; }),
  bad('declared 10x10, really 32x32', (gt) => { Object.assign(img(gt), { width: 10, height: 10 }); gt.annotations = gt.annotations.filter((a) => a.image_id !== 1); }),
  bad('declared 320x320, really 32x32', (gt) => { Object.assign(img(gt), { width: 320, height: 320 }); }),
  bad('zero annotations', (gt) => { gt.annotations = []; }),
  bad('only crowd annotations', (gt) => { for (const a of gt.annotations) a.iscrowd = 1; }),
  bad('no images', (gt) => { gt.images = []; gt.annotations = []; }),
  bad('a file_name escaping to /etc/passwd', (gt) => { img(gt).file_name = '../../../../../../../../etc/passwd'; }),
  bad('a file_name with a NUL byte', (gt) => { img(gt).file_name = 'a.png\u0000.png'; }),
];

/** A PNG whose header claims 100000x100000 pixels (40 GB as RGBA), declared so in the file too. */
function bomb(path: string): void {
  const b = Buffer.from(png(32, 32));
  b.writeUInt32BE(100_000, 16);
  b.writeUInt32BE(100_000, 20);
  writeFileSync(path, b);
}

const images: RobustCase[] = [
  image('an image file missing', (p) => rmSync(p)),
  image('an empty image file', replaced('')),
  image('a truncated PNG', replaced(cut(png(32, 32)))),
  image('a truncated JPEG', (p) => writeFileSync(p, cut(jpg(32, 32)))),
  image('a text file named .png', replaced('this is not an image\n')),
  image('a GIF named .png', replaced('GIF89a\x01\x00\x01\x00\x00\x00\x00;')),
  image('a folder named .png', (p) => { rmSync(p); mkdirSync(p); }),
  image('/dev/zero symlinked as an image', (p) => { rmSync(p); symlinkSync('/dev/zero', p); }, true),
  image('a FIFO as an image', (p) => { rmSync(p); fifo(p); }, true),
  evalCase('coco: a PNG header claiming 100000x100000 pixels', 'fail', (dir) => {
    const file = cocoSet(dir, (gt) => { Object.assign(img(gt), { width: 100_000, height: 100_000 }); });
    bomb(join(dir, 'a.png'));
    return file;
  }),
  evalCase('coco: a FIFO as the annotation file', 'fail', (dir) => { cocoSet(dir); rmSync(join(dir, 'ann.json')); return fifo(join(dir, 'ann.json')); }, { subprocess: true }),
  evalCase('coco: a folder as the annotation file', 'fail', (dir) => { cocoSet(dir); rmSync(join(dir, 'ann.json')); mkdirSync(join(dir, 'ann.json')); return join(dir, 'ann.json'); }),
];

const controls: RobustCase[] = [
  evalCase('coco: a valid set', 'ok', (dir) => cocoSet(dir)),
  evalCase('coco: no area, a box a pixel out of its image, a crowd', 'ok', (dir) => cocoSet(dir, (gt) => {
    delete ann(gt).area;
    ann(gt, 1).bbox = [16.5, 8, 16, 24.5];
    ann(gt, 2).iscrowd = 1;
  })),
];

export const cocoCases: RobustCase[] = [...controls, ...shape, ...meaning, ...images];
