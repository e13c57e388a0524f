// Detection data sets in any of the formats lithe reads (COCO, Ultralytics YOLO, Pascal VOC), loaded into one
// in-memory form, a COCO set, so that evaluation and training never ask which format a data set came in. The
// YOLO and VOC readers give their images and boxes in pixels; this file alone numbers them as COCO does.
import { extname, join, resolve } from 'node:path';
import { statOrUndefined } from '../util/files.ts';
import type { CocoAnnotation } from '../metrics/coco.ts';
import { DataError, loadCoco, type CocoImage, type CocoSet } from './coco.ts';
import { readYolo } from './yolo.ts';
import { readVoc, vocRoot } from './voc.ts';

export type Split = 'train' | 'val';

/** One object: its class as an index into the set's names, its box [x, y, w, h] in pixels. `ignore`: neither
 * a hit nor a miss when evaluated (VOC's "difficult"), written as a COCO crowd region because the reference
 * COCO evaluator ignores crowds only; training skips it too. */
export interface LabelledObject { cls: number; bbox: [number, number, number, number]; ignore?: boolean }
export interface LabelledImage extends Omit<CocoImage, 'id'> { objects: LabelledObject[] }
/** A data set as a format reader gives it: images' `file_name`s are relative to `root`; `name` for messages. */
export interface LabelledSet { root: string; names: string[]; images: LabelledImage[]; name?: string }

/** Image ids 1.. in order, category ids 1.. in the order of the names, annotation ids 1.. */
export function toCocoSet({ root, names, images, name }: LabelledSet): CocoSet {
  if (!images.length) throw new DataError(`${name ?? root}: no images`);
  const annotations: CocoAnnotation[] = [];
  const cocoImages = images.map(({ objects, ...img }, i) => {
    for (const { cls, bbox, ignore } of objects) {
      annotations.push({ id: annotations.length + 1, image_id: i + 1, category_id: cls + 1, bbox, area: bbox[2] * bbox[3], iscrowd: ignore ? 1 : 0, ...(ignore && { ignore: 1 }) });
    }
    return { id: i + 1, ...img };
  });
  const categories = names.map((name, i) => ({ id: i + 1, name }));
  return { gt: { images: cocoImages, annotations, categories }, path: (img) => resolve(root, img.file_name), categories: categories.map((c) => c.id), name: name ?? root };
}

const FORMS = `a COCO annotation .json (or a folder with train.json / val.json, as lithe data synth writes), a YOLO data.yaml (or its folder), or a Pascal VOC folder (with Annotations/, JPEGImages/ and ImageSets/Main/)`;

/** `path`: any of the forms in FORMS. `images`: where a COCO file's images lie (by default, beside it). */
export function loadDetectionSet(path: string, opts: { split?: Split; images?: string } = {}): CocoSet {
  const st = statOrUndefined(path);
  if (!st) throw new DataError(`${path}: no such file or folder`);
  const folder = st.isDirectory();
  const has = (name: string) => folder && !!statOrUndefined(join(path, name));
  const ext = extname(path).toLowerCase();
  if (has('train.json') || has('val.json') || (!folder && ext === '.json')) return loadCoco(path, opts);
  if (opts.images) throw new DataError(`${path}: a separate image folder goes only with a COCO annotation file`);
  if (!folder && (ext === '.yaml' || ext === '.yml')) return toCocoSet(readYolo(path, opts));
  if (has('data.yaml')) return toCocoSet(readYolo(join(path, 'data.yaml'), opts));
  const voc = folder ? vocRoot(path) : undefined;
  if (voc) return toCocoSet(readVoc(voc, opts));
  throw new DataError(`${path}: not a data set lithe reads; give ${FORMS}`);
}
