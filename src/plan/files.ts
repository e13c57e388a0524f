// The files a recipe names, checked before anything runs: is the model there, is each teacher, is the data
// set there and in the form its format takes. Cheap checks only (a stat, a folder listing, a JSON file's first
// bytes): `lithe check` never decodes images or parses a data set. A missing file is a CMP3013 warning (a
// recipe may be written before its data is downloaded), an error when `lithe run` asks; a file in the wrong
// form is a CMP3014 error either way. Paths arrive resolved from the recipe's folder.
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Range } from '../lang/range.ts';
import { isImageName } from '../data/image-names.ts';
import type { FileHost } from './sources.ts';
import { diag, type Emit } from './steps.ts';
import { nearest } from './suggest.ts';
import type { DataDecl } from './types.ts';

/** A path of the recipe: as written (`raw`) and resolved (`path`, relative to the working directory). */
export interface PathAt { path: string; raw: string; range: Range }

export interface FileCheck {
  host: FileHost;
  /** The recipe's folder (absolute), which relative paths in it start from. */
  recipeDir: string;
  /** `lithe run` is asking: a missing file stops the run, so it is an error. */
  forRun: boolean;
  emit: Emit;
}

/** Entries a check looks at, at most, to find one image in a folder tree. */
const LOOK_AT = 10_000;

type Kind = ReturnType<NonNullable<FileHost['kind']>>;

function kindOf(path: string, c: FileCheck): Kind {
  const abs = resolve(path);
  return c.host.kind ? c.host.kind(abs) : c.host.real(abs) ? 'file' : undefined;
}

/** CMP3013, with a hint: the path as the working directory reads it (recipes written before paths were
 *  relative to the recipe), or a near name in the same folder. */
function missing(noun: string, at: PathAt, c: FileCheck): void {
  const hint = movedHint(at, c) ?? nearName(at, c);
  const severity = c.forRun ? 'error' : undefined;
  c.emit(diag('CMP3013', `no such ${noun}: '${at.path}'${hint ? `; ${hint.text}` : ''}`, at.range, severity, hint?.fix));
}

function movedHint(at: PathAt, c: FileCheck): { text: string; fix: string } | undefined {
  if (isAbsolute(at.raw) || at.path === at.raw || !kindOf(at.raw, c)) return undefined;
  const fix = relative(c.recipeDir, resolve(at.raw));
  return { text: `paths in a recipe are relative to its folder: "${fix}" names '${at.raw}'`, fix: JSON.stringify(fix) };
}

function nearName(at: PathAt, c: FileCheck): { text: string; fix: string } | undefined {
  const names = c.host.list?.(resolve(dirname(at.path)));
  const near = names && nearest(basename(at.path), names);
  if (!near) return undefined;
  const fix = join(dirname(at.raw), near);
  return { text: `did you mean '${fix}'?`, fix: JSON.stringify(fix) };
}

const wrongForm = (message: string, at: PathAt, c: FileCheck): void => c.emit(diag('CMP3014', message, at.range));

/** The model or a teacher (`noun`: 'model file', "teacher 'big'"): a file that is there. */
export function checkModelFile(noun: string, at: PathAt, c: FileCheck): void {
  const kind = kindOf(at.path, c);
  if (!kind) return missing(noun, at, c);
  if (kind !== 'file') c.emit(diag('CMP3005', `'${at.path}' is ${kind === 'folder' ? 'a folder' : 'not a regular file'}, not a model file (${noun})`, at.range));
}

/** What each format takes at its path; the problem in words, or undefined when it looks right. */
const FORMS: Record<string, (path: string, kind: Kind, c: FileCheck) => string | undefined> = {
  coco: (p, kind, c) => {
    if (kind === 'folder') return has(p, c, 'train.json', 'val.json') ? undefined : `'${p}' is a folder without train.json or val.json: data coco takes an annotation .json file (or a folder lithe data synth wrote)`;
    const text = c.host.start?.(resolve(p), 256);
    return text === undefined || text.trimStart().startsWith('{') ? undefined : `'${p}' is not a COCO annotation file: it does not start as JSON does ('{')`;
  },
  images: (p, kind, c) => {
    if (kind !== 'folder') return `'${p}' is a file: data images takes a folder of PNG or JPEG images`;
    return hasImage(resolve(p), c) === false ? `no PNG or JPEG images in '${p}' or its subfolders` : undefined;
  },
  voc: (p, kind, c) => {
    if (kind !== 'folder') return `'${p}' is a file: data voc takes a VOC folder (with Annotations/, JPEGImages/, ImageSets/)`;
    const years = c.host.list?.(resolve(p))?.filter((n) => /^VOC\d{4}$/.test(n)) ?? [];
    return has(p, c, 'Annotations') || years.some((y) => has(join(p, y), c, 'Annotations')) ? undefined
      : `'${p}' holds no Annotations/ folder (nor a VOC2007/ or VOC2012/ folder with one): not a VOC folder`;
  },
  yolo: (p, kind, c) => {
    if (kind === 'folder') return has(p, c, 'data.yaml') ? undefined : `'${p}' is a folder without a data.yaml: data yolo takes the data.yaml`;
    return ['.yaml', '.yml'].includes(extname(p).toLowerCase()) ? undefined : `'${p}' is not a YAML file: data yolo takes the set's data.yaml`;
  },
};

/** One of `names` is in folder `p`; true when the host cannot list folders (nothing can be said). */
function has(p: string, c: FileCheck, ...names: string[]): boolean {
  const entries = c.host.list?.(resolve(p));
  return !entries || names.some((n) => entries.includes(n));
}

/** Is there an image in the folder tree? Breadth first, looking at LOOK_AT entries at most (then: unknown). */
function hasImage(dir: string, c: FileCheck): boolean | undefined {
  if (!c.host.list || !c.host.kind) return undefined;
  const queue = [dir];
  let looked = 0;
  while (queue.length && looked < LOOK_AT) {
    const d = queue.shift()!;
    for (const name of c.host.list(d) ?? []) {
      if (++looked > LOOK_AT) return undefined;
      if (isImageName(name)) return true;
      if (!name.startsWith('.') && c.host.kind(join(d, name)) === 'folder') queue.push(join(d, name));
    }
  }
  return looked < LOOK_AT ? false : undefined;
}

/** The data set's paths: there, and in the form the format takes. */
export function checkDataFiles(d: DataDecl, at: Partial<Record<'path' | 'val' | 'images', PathAt>>, c: FileCheck): void {
  if (at.path) {
    const kind = kindOf(at.path.path, c);
    const problem = kind && FORMS[d.format]?.(at.path.path, kind, c);
    if (!kind) missing(d.format === 'images' ? 'image folder' : 'data set', at.path, c);
    else if (problem) wrongForm(problem, at.path, c);
  }
  if (at.images) {
    const kind = kindOf(at.images.path, c);
    if (!kind) missing('image folder', at.images, c);
    else if (kind !== 'folder') wrongForm(`'${at.images.path}' is a file: images takes the folder of the set's images`, at.images, c);
  }
  if (at.val && !kindOf(at.val.path, c)) missing('validation split', at.val, c);
}

/**
 * The format of a data set given on the command line (`--data PATH`), from its shape: a .json or a folder with
 * train.json / val.json is COCO, a .yaml or a folder with data.yaml is YOLO, a folder with Annotations/ is VOC,
 * any other folder holding images is `images`. Undefined when nothing fits.
 */
export function detectDataFormat(path: string, c: FileCheck): string | undefined {
  const kind = kindOf(path, c);
  const ext = extname(path).toLowerCase();
  if (kind === 'file') return ext === '.json' ? 'coco' : ['.yaml', '.yml'].includes(ext) ? 'yolo' : undefined;
  if (kind !== 'folder') return undefined;
  return ['coco', 'yolo', 'voc', 'images'].find((f) => !FORMS[f]!(path, kind, c));
}
