// `data images "FOLDER"`: a folder of unlabelled images, for calibration, the data-driven pruning criteria and
// latency. Images are found by extension (.png, .jpg, .jpeg, any case) in the folder and its subfolders, in
// sorted path order, skipping names that start with a dot; each header is read (the size, 4 KiB an image),
// none is decoded until used. The set has no boxes and no classes: nothing measures mAP on it.
import { readdirSync, realpathSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fsError } from '../errors.ts';
import { requireFolder, statOrUndefined } from '../util/files.ts';
import { DataError, type CocoSet } from './coco.ts';
import { readImageSize } from './image-size.ts';
import { isImageName } from './image-names.ts';

export { IMAGE_EXTENSIONS, isImageName } from './image-names.ts';


/** The most images a folder may hold: calibration uses hundreds, and each header is read when the set loads. */
export const MAX_FOLDER_IMAGES = 100_000;


/** Image files under `dir`, sorted, at most `max` (+1, so the caller can tell there are more); a folder reached
 *  twice through links is read once. */
export function listImages(dir: string, max = MAX_FOLDER_IMAGES): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (d: string): void => {
    const real = realpathSync(d);
    if (seen.has(real)) return;
    seen.add(real);
    let names: string[];
    try { names = readdirSync(d).sort(); } catch (e) { throw fsError(e, d, 'list folder'); }
    for (const name of names) {
      if (out.length > max || name.startsWith('.')) continue;
      const p = join(d, name);
      const st = statOrUndefined(p);
      if (st?.isDirectory()) walk(p);
      else if (st?.isFile() && isImageName(name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The folder as a data set of images without objects (ids 1.. in path order). */
export function loadImageFolder(dir: string): CocoSet {
  requireFolder(dir, 'an image folder (data images)');
  const files = listImages(dir);
  if (!files.length) throw new DataError(`${dir}: no PNG or JPEG images in the folder or its subfolders`);
  if (files.length > MAX_FOLDER_IMAGES) throw new DataError(`${dir}: more than ${MAX_FOLDER_IMAGES} images; data images reads at most that many (calibration needs hundreds): name a smaller folder`);
  const images = files.map((file, i) => {
    const { width, height } = readImageSize(file);
    return { id: i + 1, file_name: relative(dir, file), width, height };
  });
  return { gt: { images, annotations: [], categories: [] }, path: (img) => join(dir, img.file_name), categories: [], name: dir };
}
