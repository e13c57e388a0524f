// COCO data sets: an annotation JSON and its images. Checked when loaded, so a broken data set fails before
// any work, naming the file and the problem: a missing image, a box outside its image, an unknown class.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CocoAnnotation, CocoGt } from '../metrics/coco.ts';
import { EXIT, LitheError } from '../errors.ts';

export interface CocoImage { id: number; file_name: string; width: number; height: number }
export interface CocoSet { gt: Omit<CocoGt, 'images'> & { images: CocoImage[] }; path: (img: CocoImage) => string; categories: number[] }

/** A data set, image or folder lithe cannot use: nothing runs (exit 2). */
export class DataError extends LitheError {
  override name = 'DataError';
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** `source`: an annotation file, or a folder from `lithe data synth` (its val.json, or `split`.json). */
export function loadCoco(source: string, opts: { images?: string; split?: 'train' | 'val' } = {}): CocoSet {
  const file = existsSync(source) && statSync(source).isDirectory() ? join(source, `${opts.split ?? 'val'}.json`) : source;
  let gt: CocoSet['gt'];
  try {
    gt = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(`${file}: ${code === 'ENOENT' ? 'no such file' : `not a COCO annotation file (${(e as Error).message})`}`);
  }
  if (!Array.isArray(gt?.images) || !Array.isArray(gt.annotations) || !Array.isArray(gt.categories)) {
    throw new DataError(`${file}: a COCO annotation file has "images", "annotations" and "categories" lists`);
  }
  const root = resolve(opts.images ?? dirname(file));
  const images = new Map(gt.images.map((i) => [i.id, i]));
  const cats = new Set(gt.categories.map((c) => c.id));
  for (const img of gt.images) {
    if (!existsSync(join(root, img.file_name))) throw new DataError(`${file}: image ${img.id} '${img.file_name}' is missing from ${root}`);
  }
  gt.annotations.forEach((a: CocoAnnotation) => {
    const img = images.get(a.image_id);
    if (!img) throw new DataError(`${file}: annotation ${a.id} names image ${a.image_id}, which is not in "images"`);
    if (!cats.has(a.category_id)) throw new DataError(`${file}: annotation ${a.id} has unknown class ${a.category_id}`);
    const [x, y, w, h] = a.bbox;
    // a pixel of slack: exporters round
    if (x < -1 || y < -1 || w <= 0 || h <= 0 || x + w > img.width + 1 || y + h > img.height + 1) {
      throw new DataError(`${file}: annotation ${a.id}: box [${a.bbox.join(', ')}] lies outside image ${img.id} (${img.width}x${img.height})`);
    }
  });
  return { gt, path: (img) => join(root, img.file_name), categories: [...cats].sort((a, b) => a - b) };
}
