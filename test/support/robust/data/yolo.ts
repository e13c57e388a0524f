// Ultralytics YOLO data sets a user can get wrong, each a change to one small valid set (fixtures.ts):
// data.yaml, the image list, label lines, and images.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RobustCase } from '../types.ts';
import { evalCase, type DataCaseOptions } from './case.ts';
import { cut, fifo, png, write, yoloSet } from './fixtures.ts';

/** The valid set, then `change` (given the set's folder); the case evaluates data.yaml. */
const yolo = (name: string, expect: 'ok' | 'fail', change: (dir: string) => void, subprocess = false, verify?: DataCaseOptions['verify']): RobustCase =>
  evalCase(`yolo: ${name}`, expect, (dir) => { const yaml = yoloSet(dir); change(dir); return yaml; }, { subprocess, verify });
/** The set's two images evaluated once each. */
const twoImages: DataCaseOptions['verify'] = (_, o) => (/: 2 images in /.test(o.out) ? undefined : `not 2 images: ${o.out.split('\n')[0]}`);
const spec = (name: string, content: string): RobustCase => yolo(name, 'fail', (dir) => { write(join(dir, 'data.yaml'), content); });
/** Image a.png's first label line replaced by `line`. */
const label = (name: string, line: string): RobustCase => yolo(`label line: ${name}`, 'fail', (dir) => { write(join(dir, 'labels', 'val', 'a.txt'), `${line}\n`); });
/** The val split given as val.txt with `lines`. */
const list = (name: string, lines: string, expect: 'ok' | 'fail' = 'fail'): RobustCase =>
  yolo(name, expect, (dir) => { write(join(dir, 'data.yaml'), 'val: val.txt\nnames: [cat, dog]\n'); write(join(dir, 'val.txt'), lines); });
const deep = (n: number) => `names: ${'['.repeat(n)}a${']'.repeat(n)}\nval: images/val\n`;
const aliases = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`), 'names: *h', 'val: images/val'].join('\n');

export const yoloCases: RobustCase[] = [
  yolo('a valid set', 'ok', () => {}),
  list('a valid set listed in val.txt', 'images/val/a.png\n./images/val/b.png\n\n', 'ok'),
  yolo('a valid set with a link from its image folder to its parent', 'ok', (dir) => { symlinkSync('..', join(dir, 'images', 'val', 'up')); }, false, twoImages),
  spec('data.yaml that is not YAML', 'names: [cat, dog\nval: {\n'),
  spec('data.yaml that is a list', '- cat\n- dog\n'),
  spec('an empty data.yaml', ''),
  spec('data.yaml nested 100000 deep', deep(100_000)),
  spec('a YAML alias bomb', aliases),
  spec('no names', 'val: images/val\n'),
  spec('names an empty list', 'names: []\nval: images/val\n'),
  spec('names of objects', 'names: [{a: 1}, {b: 2}]\nval: images/val\n'),
  spec('nc disagrees with names', 'names: [cat, dog]\nnc: 3\nval: images/val\n'),
  spec('no val', 'names: [cat, dog]\ntrain: images/val\n'),
  spec('val a number', 'names: [cat, dog]\nval: 7\n'),
  spec('val a folder that is not there', 'names: [cat, dog]\nval: images/nope\n'),
  label('4 fields', '0 0.5 0.5 0.2'),
  label('6 fields', '0 0.5 0.5 0.2 0.2 0.9'),
  label('a word', 'cat 0.5 0.5 0.2 0.2'),
  label('a hex number', '0x1 0.5 0.5 0.2 0.2'),
  label('NaN', '0 NaN 0.5 0.2 0.2'),
  label('Infinity', '0 0.5 0.5 Infinity 0.2'),
  label('class out of range', '2 0.5 0.5 0.2 0.2'),
  label('a negative class', '-1 0.5 0.5 0.2 0.2'),
  label('a fractional class', '0.5 0.5 0.5 0.2 0.2'),
  label('a box outside the image', '0 0.9 0.5 0.4 0.2'),
  label('a zero-size box', '0 0.5 0.5 0 0.2'),
  label('a negative width', '0 0.5 0.5 -0.2 0.2'),
  label('pixels, not fractions', '0 16 16 8 8'),
  yolo('a truncated PNG', 'fail', (dir) => { writeFileSync(join(dir, 'images', 'val', 'a.png'), cut(png(32, 32))); }),
  yolo('a text file named .png', 'fail', (dir) => { writeFileSync(join(dir, 'images', 'val', 'a.png'), 'not an image\n'); }),
  yolo('a folder named .png', 'fail', (dir) => { mkdirSync(join(dir, 'images', 'val', 'c.png')); }),
  yolo('a label file that is a folder', 'fail', (dir) => { rmSync(join(dir, 'labels', 'val', 'a.txt')); mkdirSync(join(dir, 'labels', 'val', 'a.txt')); }),
  yolo('an empty val folder', 'fail', (dir) => { rmSync(join(dir, 'images', 'val'), { recursive: true }); mkdirSync(join(dir, 'images', 'val')); }),
  yolo('zero annotations (no label files)', 'fail', (dir) => { rmSync(join(dir, 'labels'), { recursive: true }); }),
  list('val.txt naming a missing image', 'images/val/a.png\nimages/val/zz.png\n'),
  list('val.txt naming an image twice', 'images/val/a.png\nimages/val/b.png\n./images/val/a.png\n'),
  yolo('a FIFO as data.yaml', 'fail', (dir) => { rmSync(join(dir, 'data.yaml')); fifo(join(dir, 'data.yaml')); }, true),
  yolo('a FIFO as the image list val.txt', 'fail', (dir) => { write(join(dir, 'data.yaml'), 'val: val.txt\nnames: [cat, dog]\n'); fifo(join(dir, 'val.txt')); }, true),
  yolo('a FIFO as a label file', 'fail', (dir) => { rmSync(join(dir, 'labels', 'val', 'a.txt')); fifo(join(dir, 'labels', 'val', 'a.txt')); }, true),
];
