// What the data cases are built from, all generated here: tiny PNGs and JPEGs from the project's encoders,
// one small data set per format (COCO, YOLO, VOC), FIFOs, and zoo models built once per process and linked
// into each case's folder (at 64x64 pixels an evaluation takes a fraction of a second).
import { execFileSync } from 'node:child_process';
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import jpeg from 'jpeg-js';
import { encodePng } from '../../../../src/data/image.ts';
import { VOC_CLASSES } from '../../../../src/data/voc.ts';
import { saveModel } from '../../../../src/onnx/io.ts';
import { zooByName } from '../../../../src/zoo/registry.ts';

/** Writes `content` at `path`, making its folder; returns the path. */
export function write(path: string, content: string | Uint8Array): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** A FIFO (named pipe) at `path`: reading it blocks until someone writes, which no one will. */
export function fifo(path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  execFileSync('mkfifo', [path]);
  return path;
}

const pixels = (n: number, channels: number) => new Uint8Array(n * channels).map((_, i) => (i * 37) % 251);
export const png = (width: number, height: number): Buffer => encodePng({ width, height, data: pixels(width * height, 3) });
export const jpg = (width: number, height: number): Uint8Array => jpeg.encode({ width, height, data: pixels(width * height, 4) }, 90).data;
/** The first `fraction` of `bytes`: a file cut short, its header intact. */
export const cut = (bytes: Uint8Array, fraction = 0.6): Uint8Array => bytes.subarray(0, Math.floor(bytes.length * fraction));

const models = new Map<number, string>();
let modelDir: string | undefined;

/** A micro-yolo model at 64x64 for `classes` classes, linked (or copied) into `dir` as m.onnx. */
export function model(dir: string, classes: number): string {
  let built = models.get(classes);
  if (!built) {
    modelDir ??= mkdtempSync(join(tmpdir(), 'lithe-robust-models-'));
    built = join(modelDir, `micro-${classes}.onnx`);
    saveModel(zooByName.get('micro-yolo')!.build({ size: 64, classes }), built);
    models.set(classes, built);
  }
  const to = join(dir, 'm.onnx');
  try { linkSync(built, to); } catch { copyFileSync(built, to); }
  return to;
}

// ---- COCO: two images, two classes, three objects ----

export interface CocoJson { images: Record<string, unknown>[]; annotations: Record<string, unknown>[]; categories: Record<string, unknown>[] }

export function cocoJson(): CocoJson {
  return {
    images: [{ id: 1, file_name: 'a.png', width: 32, height: 32 }, { id: 2, file_name: 'b.jpg', width: 48, height: 32 }],
    annotations: [
      { id: 1, image_id: 1, category_id: 1, bbox: [4, 4, 12, 10], area: 120, iscrowd: 0 },
      { id: 2, image_id: 1, category_id: 2, bbox: [16, 8, 14, 20], area: 280, iscrowd: 0 },
      { id: 3, image_id: 2, category_id: 1, bbox: [0, 0, 48, 32], area: 1536, iscrowd: 0 },
    ],
    categories: [{ id: 1, name: 'cat' }, { id: 2, name: 'dog' }],
  };
}

/** The COCO set in `dir` (ann.json beside its images), changed by `change`; returns the annotation file. */
export function cocoSet(dir: string, change: (gt: CocoJson) => void = () => {}): string {
  write(join(dir, 'a.png'), png(32, 32));
  write(join(dir, 'b.jpg'), jpg(48, 32));
  const gt = cocoJson();
  change(gt);
  return write(join(dir, 'ann.json'), JSON.stringify(gt));
}

// ---- YOLO: data.yaml, images/val/{a,b}.png, labels/val/{a,b}.txt ----

export function yoloSet(dir: string): string {
  write(join(dir, 'images', 'val', 'a.png'), png(32, 32));
  write(join(dir, 'images', 'val', 'b.png'), png(48, 32));
  write(join(dir, 'labels', 'val', 'a.txt'), '0 0.3125 0.3125 0.375 0.3125\n1 0.71875 0.5625 0.4375 0.625\n');
  write(join(dir, 'labels', 'val', 'b.txt'), '0 0.5 0.5 1 1\n');
  return write(join(dir, 'data.yaml'), 'path: .\ntrain: images/val\nval: images/val\nnames: [cat, dog]\n');
}

// ---- VOC: VOC2007/{Annotations, JPEGImages, ImageSets/Main/val.txt}, the 20 classes ----

export const VOC_CLASS_COUNT = VOC_CLASSES.length;

export const vocObject = (name: string, [xmin, ymin, xmax, ymax]: number[], difficult = 0): string =>
  `<object><name>${name}</name><difficult>${difficult}</difficult><bndbox><xmin>${xmin}</xmin><ymin>${ymin}</ymin><xmax>${xmax}</xmax><ymax>${ymax}</ymax></bndbox></object>`;
export const vocAnnotation = (file: string, [w, h]: number[], objects: string[]): string =>
  `<annotation><folder>VOC2007</folder><filename>${file}</filename><size><width>${w}</width><height>${h}</height><depth>3</depth></size>${objects.join('')}</annotation>\n`;

/** A VOC year folder in `dir`; returns it. */
export function vocSet(dir: string): string {
  const root = join(dir, 'VOC2007');
  write(join(root, 'JPEGImages', 'a.jpg'), jpg(32, 32));
  write(join(root, 'JPEGImages', 'b.png'), png(48, 32));
  write(join(root, 'Annotations', 'a.xml'), vocAnnotation('a.jpg', [32, 32], [vocObject('cat', [5, 5, 16, 14]), vocObject('dog', [17, 9, 30, 28])]));
  write(join(root, 'Annotations', 'b.xml'), vocAnnotation('b.png', [48, 32], [vocObject('person', [1, 1, 48, 32], 0)]));
  write(join(root, 'ImageSets', 'Main', 'val.txt'), 'a\nb\n');
  return root;
}
