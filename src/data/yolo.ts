// Ultralytics YOLO data sets: a data.yaml with the class `names` and, per split, where the images are (a
// folder, a .txt listing image paths, or a list of these), under an optional root `path`. Each image's labels
// are a .txt at the same path with the last /images/ made /labels/, a line `class cx cy w h` per object,
// normalised to the image's size; an image without one shows no objects. Read with boxes in pixels, the
// sizes from the images' headers; every problem names the file, and the line where there is one.
import { readdirSync, realpathSync, type Dirent } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { fsError } from '../errors.ts';
import { kindOf, readText, statOrUndefined } from '../util/files.ts';
import { DataError } from './coco.ts';
import { decimal } from './decimal.ts';
import { readImageSize } from './image-size.ts';
import type { LabelledImage, LabelledObject, LabelledSet, Split } from './load.ts';

// What Ultralytics takes for an image in a folder. Those that are not PNG or JPEG are refused when their
// size is read, rather than skipped, so that a split never quietly shrinks.
const IMAGE_EXTS = new Set(['.bmp', '.dng', '.jpeg', '.jpg', '.mpo', '.png', '.tif', '.tiff', '.webp', '.pfm', '.heic']);
// Exporters round: a box may stick out of its image by this much (of its size).
const SLACK = 1e-3;
// The most lithe reads of each text file: far beyond any real one, well within memory.
const MAX = { yaml: 1 << 24, list: 1 << 28, labels: 1 << 24 };

type Spec = Record<string, unknown>;

function readSpec(file: string): Spec {
  const text = readText(file, { what: 'a YOLO data.yaml', max: MAX.yaml });
  let spec: unknown;
  try {
    spec = parse(text);
  } catch (e) {
    // the yaml library reports nesting deeper than the stack as the stack's overflow, at a line and column
    const said = (e as Error).message.split('\n')[0]!.replace(/^Maximum call stack size exceeded/, 'nested too deeply');
    throw new DataError(`${file}: not YAML (${said})`);
  }
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) throw new DataError(`${file}: a YOLO data.yaml is a mapping with names, train and val`);
  return spec as Spec;
}

/** `names` as a list, or a {index: name} map numbering the classes 0..n-1; `nc`, if given, must agree. */
function classNames({ names, nc }: Spec, file: string): string[] {
  const entries = names && typeof names === 'object' ? Object.entries(names) : [];
  if (!entries.length) throw new DataError(`${file}: no 'names' (the class names: a list, or a map {0: name, 1: name, ...})`);
  // integer keys come out of Object.entries in ascending order, so a gap or a stray key shows as a mismatch
  const stray = entries.find(([k], i) => k !== String(i));
  if (stray) throw new DataError(`${file}: 'names' numbers its classes 0..${entries.length - 1}, not '${stray[0]}'`);
  if (nc !== undefined && nc !== entries.length) throw new DataError(`${file}: nc is ${String(nc)} but 'names' has ${entries.length} classes`);
  const odd = entries.find(([, name]) => typeof name !== 'string' && typeof name !== 'number');
  if (odd) throw new DataError(`${file}: class ${odd[0]}'s name is not text`);
  return entries.map(([, name]) => String(name));
}

/** An image path and where it was found: a folder, or a list's line. */
interface Found { path: string; at: string }

/**
 * The images of a split, as absolute paths: those in a folder (and its subfolders), sorted, or those a .txt
 * lists. An image found twice is refused: it would be evaluated twice.
 */
function splitImages(spec: Spec, split: Split, root: string, file: string): string[] {
  const entry = spec[split];
  if (entry === undefined || entry === null) throw new DataError(`${file}: no '${split}' (the ${split} images: a folder, a .txt listing images, or a list of these)`);
  const found = (Array.isArray(entry) ? entry : [entry]).flatMap((e): Found[] => {
    if (typeof e !== 'string' || !e) throw new DataError(`${file}: ${split} entry ${JSON.stringify(e)} is not a path`);
    const p = resolve(root, e);
    const st = statOrUndefined(p);
    if (!st) throw new DataError(`${file}: ${split} '${e}' is not there (looked for ${p})`);
    if (st.isFile()) return listedImages(p);
    if (!st.isDirectory()) throw new DataError(`${file}: ${split} '${e}' is ${kindOf(st)}, not a folder or a .txt list of images`);
    return folderImages(p).map((path) => ({ path, at: p }));
  });
  const seen = new Map<string, string>();
  for (const { path, at } of found) {
    const first = seen.get(path);
    if (first) throw new DataError(`${at}: image ${path} is listed twice (first in ${first})`);
    seen.set(path, at);
  }
  return found.map((f) => f.path);
}

/**
 * The images in `dir` and its subfolders, sorted. Folders linked in are followed, each once: Node's own
 * recursive listing follows a link to a parent round and round until the path is too long, listing every
 * image dozens of times.
 */
function folderImages(dir: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = (d: string): void => {
    let entries: Dirent[];
    try {
      const real = realpathSync(d);
      if (seen.has(real)) return;
      seen.add(real);
      entries = readdirSync(d, { withFileTypes: true });
    } catch (e) {
      throw fsError(e, d, 'list folder');
    }
    for (const e of entries) {
      const p = join(d, e.name);
      // a folder named x.png is listed, and refused when read, rather than quietly left out
      if (IMAGE_EXTS.has(extname(e.name).toLowerCase())) found.push(p);
      else if (e.isDirectory() || (e.isSymbolicLink() && statOrUndefined(p)?.isDirectory())) walk(p);
    }
  };
  walk(dir);
  return found.sort();
}

/** A .txt list: an image path a line, relative to the list's folder. */
function listedImages(list: string): Found[] {
  return readText(list, { what: 'a list of images', max: MAX.list }).split(/\r?\n/).flatMap((line, i) => {
    const name = line.trim();
    if (!name) return [];
    const p = resolve(dirname(list), name);
    if (!statOrUndefined(p)) throw new DataError(`${list}:${i + 1}: image '${name}' is missing (looked for ${p})`);
    return [{ path: p, at: `${list}:${i + 1}` }];
  });
}

const IMAGES_DIR = `${sep}images${sep}`;

function labelFile(image: string): string {
  const at = image.lastIndexOf(IMAGES_DIR);
  const p = at < 0 ? image : `${image.slice(0, at)}${sep}labels${sep}${image.slice(at + IMAGES_DIR.length)}`;
  return `${p.slice(0, p.length - extname(p).length)}.txt`;
}

function labelLine(line: string, at: string, nc: number, { width, height }: { width: number; height: number }): LabelledObject[] {
  const fields = line.trim().split(/\s+/);
  if (!fields[0]) return [];
  if (fields.length !== 5) throw new DataError(`${at}: ${fields.length} fields; a label line is 'class cx cy w h'`);
  const bad = fields.find((f) => decimal(f) === undefined);
  if (bad !== undefined) throw new DataError(`${at}: '${bad.slice(0, 40)}' is not a number`);
  const [cls, cx, cy, w, h] = fields.map(Number) as [number, number, number, number, number];
  if (!Number.isInteger(cls) || cls < 0 || cls >= nc) throw new DataError(`${at}: unknown class ${fields[0]} (the data set has ${nc})`);
  const [x1, y1, x2, y2] = [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
  if (!(w > 0 && h > 0) || x1 < -SLACK || y1 < -SLACK || x2 > 1 + SLACK || y2 > 1 + SLACK) {
    throw new DataError(`${at}: box ${fields.slice(1).join(' ')} is empty or lies outside the image (0..1)`);
  }
  // clipped to the image, so the slack never makes a box COCO would refuse
  const [px1, py1, px2, py2] = [Math.max(x1, 0) * width, Math.max(y1, 0) * height, Math.min(x2, 1) * width, Math.min(y2, 1) * height];
  return [{ cls, bbox: [px1, py1, px2 - px1, py2 - py1] }];
}

function labelledImage(path: string, root: string, nc: number): LabelledImage {
  const size = readImageSize(path);
  const labels = labelFile(path);
  const lines = statOrUndefined(labels) ? readText(labels, { what: 'a YOLO label file', max: MAX.labels }).split(/\r?\n/) : [];
  return { file_name: relative(root, path), ...size, objects: lines.flatMap((line, i) => labelLine(line, `${labels}:${i + 1}`, nc, size)) };
}

/** `file`: a data.yaml. `split`: which images, by default val. */
export function readYolo(file: string, opts: { split?: Split } = {}): LabelledSet {
  const spec = readSpec(file);
  const names = classNames(spec, file);
  // the root is relative to the yaml's folder (Ultralytics also looks in its own datasets folder; lithe has none)
  const root = resolve(dirname(file), typeof spec.path === 'string' ? spec.path : '.');
  const images = splitImages(spec, opts.split ?? 'val', root, file);
  return { root, names, images: images.map((p) => labelledImage(p, root, names.length)), name: `${file} (${opts.split ?? 'val'} split)` };
}
