// Pascal VOC data sets: a folder (VOCdevkit/VOC2007, say) with ImageSets/Main/{split}.txt listing image ids,
// Annotations/{id}.xml describing each image and its objects, and the images in JPEGImages/. Read with boxes
// in COCO's pixel convention; "difficult" objects are kept but ignored when evaluated, as VOC's own
// evaluation does. Every problem names the file. An annotation with a DOCTYPE is refused before it is parsed:
// VOC's have none, and its entities are how XML reads other files (XXE) or grows without end (a billion
// laughs). fast-xml-parser would neither read a file nor expand nested entities, but no parser need see them.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { fsError } from '../errors.ts';
import { readText, statOrUndefined } from '../util/files.ts';
import { boxProblem } from './box.ts';
import { DataError } from './coco.ts';
import { decimal } from './decimal.ts';
import { readImageSize, type ImageSize } from './image-size.ts';
import type { LabelledImage, LabelledObject, LabelledSet, Split } from './load.ts';

/** The 20 classes of VOC 2007 and 2012, in the order of the official development kit. */
export const VOC_CLASSES: readonly string[] = [
  'aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat', 'chair', 'cow',
  'diningtable', 'dog', 'horse', 'motorbike', 'person', 'pottedplant', 'sheep', 'sofa', 'train', 'tvmonitor',
];

// An annotation file, an image-id list: far beyond any real one, well within memory.
const MAX = { xml: 1 << 24, list: 1 << 28 };

const isVocRoot = (dir: string) => !!statOrUndefined(join(dir, 'Annotations'))?.isDirectory();

/** `dir` itself when it holds Annotations/, else the one year folder of a VOCdevkit folder; undefined for neither. */
export function vocRoot(dir: string): string | undefined {
  if (isVocRoot(dir)) return dir;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw fsError(e, dir, 'list folder');
  }
  const years = names.filter((f) => /^VOC\d{4}$/.test(f) && isVocRoot(join(dir, f)));
  if (years.length > 1) throw new DataError(`${dir}: a VOCdevkit with ${years.join(', ')}; name one of them`);
  return years[0] && join(dir, years[0]);
}

type Xml = Record<string, unknown>;

// Values stay text (a class named "1" stays a name); <object> is a list even when there is one.
const parser = new XMLParser({ parseTagValue: false, isArray: (tag) => tag === 'object' });

function readXml(file: string): Xml {
  const text = readText(file, { what: 'a VOC annotation', max: MAX.xml });
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype) {
    const line = text.slice(0, doctype.index).split('\n').length;
    throw new DataError(`${file}:${line}: a DOCTYPE; VOC annotations have none, and lithe reads no XML entities (they can read other files or grow without end)`);
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new DataError(`${file}:${valid.err.line}: malformed XML (${valid.err.msg})`);
  let xml: Xml;
  try {
    xml = parser.parse(text) as Xml;
  } catch (e) {
    throw new DataError(`${file}: XML lithe cannot read (${(e as Error).message})`);
  }
  const ann = xml.annotation;
  if (!ann || typeof ann !== 'object') throw new DataError(`${file}: no <annotation> element`);
  return ann as Xml;
}

/** The text in `<key>` under `node`, trimmed; '' when it is missing, a DataError when it holds elements. */
function textIn(node: unknown, key: string, file: string, what: string): string {
  const v = node && typeof node === 'object' ? (node as Xml)[key] : undefined;
  if (v !== undefined && typeof v !== 'string') throw new DataError(`${file}: ${what}<${key}> holds ${Array.isArray(v) ? 'several elements' : 'elements'}, not text`);
  return (v ?? '').trim();
}

/** The number in `<key>` under `node`; `what` says where, for the message. */
function numberIn(node: unknown, key: string, file: string, what: string): number {
  const n = decimal(textIn(node, key, file, what));
  if (n === undefined) throw new DataError(`${file}: ${what}<${key}> is missing or not a number`);
  return n;
}

function vocObject(o: Xml, k: number, file: string, classes: readonly string[], size: ImageSize): LabelledObject {
  const name = textIn(o, 'name', file, `object ${k + 1}: `);
  const what = `object ${k + 1} ('${name}'): `;
  const cls = classes.indexOf(name);
  if (cls < 0) throw new DataError(`${file}: ${what}unknown class (the classes: ${classes.join(', ')})`);
  const [xmin, ymin, xmax, ymax] = ['xmin', 'ymin', 'xmax', 'ymax'].map((key) => numberIn(o.bndbox, key, file, what)) as [number, number, number, number];
  // VOC boxes are 1-based and inclusive (pixels xmin..xmax); COCO's are 0-based with a width. Converted as
  // the common converters (Detectron's voc_to_coco, MMDetection's pascal_voc) do it.
  const bbox: LabelledObject['bbox'] = [xmin - 1, ymin - 1, xmax - xmin + 1, ymax - ymin + 1];
  // a pixel of slack, as for COCO: some tools write 0-based corners
  const problem = boxProblem(bbox, size);
  if (problem) throw new DataError(`${file}: ${what}box ${xmin},${ymin},${xmax},${ymax} ${problem}`);
  return { cls, bbox, ...(textIn(o, 'difficult', file, what) === '1' && { ignore: true }) };
}

function vocImage(root: string, id: string, at: string, classes: readonly string[]): LabelledImage {
  const file = join(root, 'Annotations', `${id}.xml`);
  if (!statOrUndefined(file)) throw new DataError(`${at}: image '${id}' has no annotation ${file}`);
  const ann = readXml(file);
  const fileName = join('JPEGImages', textIn(ann, 'filename', file, '') || `${id}.jpg`);
  if (!statOrUndefined(join(root, fileName))) throw new DataError(`${file}: image ${fileName} is missing from ${root}`);
  const size = readImageSize(join(root, fileName));
  if (ann.size !== undefined) {
    // the size VOC's own tools and most readers trust: it must be the image's
    const said = [numberIn(ann.size, 'width', file, '<size> '), numberIn(ann.size, 'height', file, '<size> ')];
    if (said[0] !== size.width || said[1] !== size.height) throw new DataError(`${file}: <size> says ${said.join('x')} but ${fileName} is ${size.width}x${size.height}`);
  }
  const objects = (ann.object ?? []) as Xml[];
  return { file_name: fileName, ...size, objects: objects.map((o, k) => vocObject(o, k, file, classes, size)) };
}

/** `root`: a VOC folder (see vocRoot). `split`: by default val. `classes`: by default VOC_CLASSES. */
export function readVoc(root: string, opts: { split?: Split; classes?: readonly string[] } = {}): LabelledSet {
  const classes = opts.classes ?? VOC_CLASSES;
  const split = opts.split ?? 'val';
  const list = join(root, 'ImageSets', 'Main', `${split}.txt`);
  if (!statOrUndefined(list)) throw new DataError(`${list}: no such file (the image ids of the ${split} split)`);
  const seen = new Map<string, number>();
  const images = readText(list, { what: 'a list of image ids', max: MAX.list }).split(/\r?\n/).flatMap((line, i) => {
    const id = line.trim().split(/\s+/)[0];
    if (!id) return [];
    if (seen.has(id)) throw new DataError(`${list}:${i + 1}: image '${id}' is listed twice (first on line ${seen.get(id)})`);
    seen.set(id, i + 1);
    return [vocImage(root, id, `${list}:${i + 1}`, classes)];
  });
  return { root, names: [...classes], images, name: `${root} (${split} split)` };
}
