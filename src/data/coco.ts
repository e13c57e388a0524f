// COCO data sets: an annotation JSON and its images. Checked when loaded, so a broken data set fails before
// any work, naming the file and the entry: its shape (coco-schema.ts), its meaning (coco-check.ts), and each
// image: there, a regular file, a PNG or JPEG whose header gives the size the file declares. The headers are
// read here, 4 KiB an image, rather than when the images are decoded: a wrong size would otherwise be found
// only after minutes of evaluation, or inside a batch worker, and the header read also finds a missing
// image, a folder or a FIFO in the place of one before anything runs.
import { constants } from 'node:buffer';
import { dirname, join, resolve } from 'node:path';
import type { CocoGt } from '../metrics/coco.ts';
import { EXIT, LitheError, printable } from '../errors.ts';
import { readText, requireFolder, statOrUndefined } from '../util/files.ts';
import { readImageSize, type ImageSize } from './image-size.ts';
import { cocoShapeProblem } from './coco-schema.ts';
import { cocoMeaningProblem } from './coco-check.ts';

export interface CocoImage { id: number; file_name: string; width: number; height: number }
export interface CocoSet {
  gt: Omit<CocoGt, 'images'> & { images: CocoImage[] };
  path: (img: CocoImage) => string;
  categories: number[];
  /** What the set is called in messages: its file, or its folder and split. */
  name?: string;
}

/** A data set, image or folder lithe cannot use: nothing runs (exit 2). The message is one line. */
export class DataError extends LitheError {
  override name = 'DataError';
  constructor(message: string) {
    super(printable(message), EXIT.usage);
  }
}

/** Parsed JSON; anything else (a FIFO, a folder, text that is not JSON, a file too large for a string) is a LitheError naming the file. */
function readJsonFile(file: string): unknown {
  // a string of the file's bytes must fit in one JavaScript string
  const text = readText(file, { what: 'a COCO annotation file', max: constants.MAX_STRING_LENGTH });
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DataError(`${file}: not JSON (${(e as Error).message})`);
  }
}

/** The size in `path`'s header; a problem with the image (missing, not one, a FIFO, a folder) names `where` too. */
function imageSizeOf(path: string, where: string, missing: string): ImageSize {
  try {
    if (!statOrUndefined(path)) throw new DataError(missing);
    return readImageSize(path);
  } catch (e) {
    throw e instanceof LitheError ? new DataError(`${where}: ${e.message}`) : e;
  }
}

/** Each image is there, a PNG or JPEG, of the size the file declares. */
function checkImages(gt: CocoSet['gt'], root: string, file: string): void {
  for (const img of gt.images) {
    const path = join(root, img.file_name);
    const { width, height } = imageSizeOf(path, `${file}: image ${img.id}`, `'${img.file_name}' is missing from ${root}`);
    if (width !== img.width || height !== img.height) {
      throw new DataError(`${file}: image ${img.id} '${img.file_name}' is ${width}x${height}, but the file says ${img.width}x${img.height}`);
    }
  }
}

/** `source`: an annotation file, or a folder from `lithe data synth` (its val.json, or `split`.json). */
export function loadCoco(source: string, opts: { images?: string; split?: 'train' | 'val' } = {}): CocoSet {
  const file = statOrUndefined(source)?.isDirectory() ? join(source, `${opts.split ?? 'val'}.json`) : source;
  const json = readJsonFile(file);
  const problem = cocoShapeProblem(json) ?? cocoMeaningProblem(json as CocoSet['gt']);
  if (problem) throw new DataError(`${file}: ${problem}`);
  const gt = json as CocoSet['gt'];
  if (opts.images) requireFolder(opts.images, 'an image folder');
  const root = resolve(opts.images ?? dirname(file));
  checkImages(gt, root, file);
  return { gt, path: (img) => join(root, img.file_name), categories: gt.categories.map((c) => c.id).sort((a, b) => a - b), name: file };
}
