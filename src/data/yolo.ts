// Ultralytics YOLO data sets: a data.yaml with the class `names` and, per split, where the images are (a
// folder, a .txt listing image paths, or a list of these), under an optional root `path`. Each image's labels
// are a .txt at the same path with the last /images/ made /labels/, a line `class cx cy w h` per object,
// normalised to the image's size; an image without one shows no objects. Read with boxes in pixels, the
// sizes from the images' headers; every problem names the file, and the line where there is one.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { DataError } from './coco.ts';
import { readImageSize } from './image-size.ts';
import type { LabelledImage, LabelledObject, LabelledSet, Split } from './load.ts';

// What Ultralytics takes for an image in a folder. Those that are not PNG or JPEG are refused when their
// size is read, rather than skipped, so that a split never quietly shrinks.
const IMAGE_EXTS = new Set(['.bmp', '.dng', '.jpeg', '.jpg', '.mpo', '.png', '.tif', '.tiff', '.webp', '.pfm', '.heic']);
// Exporters round: a box may stick out of its image by this much (of its size).
const SLACK = 1e-3;

type Spec = Record<string, unknown>;

function readSpec(file: string): Spec {
  let spec: unknown;
  try {
    spec = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(`${file}: ${code === 'ENOENT' ? 'no such file' : `not YAML (${(e as Error).message})`}`);
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
  return entries.map(([, name]) => String(name));
}

/** The images of a split, as absolute paths: those in a folder (and its subfolders), sorted, or those a .txt lists. */
function splitImages(spec: Spec, split: Split, root: string, file: string): string[] {
  const entry = spec[split];
  if (entry === undefined || entry === null) throw new DataError(`${file}: no '${split}' (the ${split} images: a folder, a .txt listing images, or a list of these)`);
  return (Array.isArray(entry) ? entry : [entry]).flatMap((e) => {
    const p = resolve(root, String(e));
    if (!existsSync(p)) throw new DataError(`${file}: ${split} '${String(e)}' is not there (looked for ${p})`);
    if (!statSync(p).isDirectory()) return listedImages(p);
    return readdirSync(p, { recursive: true, encoding: 'utf8' }).filter((f) => IMAGE_EXTS.has(extname(f).toLowerCase())).sort().map((f) => join(p, f));
  });
}

/** A .txt list: an image path a line, relative to the list's folder. */
function listedImages(list: string): string[] {
  return readFileSync(list, 'utf8').split(/\r?\n/).flatMap((line, i) => {
    const name = line.trim();
    if (!name) return [];
    const p = resolve(dirname(list), name);
    if (!existsSync(p)) throw new DataError(`${list}:${i + 1}: image '${name}' is missing (looked for ${p})`);
    return [p];
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
  const bad = fields.find((f) => !Number.isFinite(Number(f)));
  if (bad !== undefined) throw new DataError(`${at}: '${bad}' is not a number`);
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
  const lines = existsSync(labels) ? readFileSync(labels, 'utf8').split(/\r?\n/) : [];
  return { file_name: relative(root, path), ...size, objects: lines.flatMap((line, i) => labelLine(line, `${labels}:${i + 1}`, nc, size)) };
}

/** `file`: a data.yaml. `split`: which images, by default val. */
export function readYolo(file: string, opts: { split?: Split } = {}): LabelledSet {
  const spec = readSpec(file);
  const names = classNames(spec, file);
  // the root is relative to the yaml's folder (Ultralytics also looks in its own datasets folder; lithe has none)
  const root = resolve(dirname(file), typeof spec.path === 'string' ? spec.path : '.');
  const images = splitImages(spec, opts.split ?? 'val', root, file);
  return { root, names, images: images.map((p) => labelledImage(p, root, names.length)) };
}
