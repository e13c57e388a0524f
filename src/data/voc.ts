// Pascal VOC data sets: a folder (VOCdevkit/VOC2007, say) with ImageSets/Main/{split}.txt listing image ids,
// Annotations/{id}.xml describing each image and its objects, and the images in JPEGImages/. Read with boxes
// in COCO's pixel convention; "difficult" objects are kept but ignored when evaluated, as VOC's own
// evaluation does. Every problem names the file.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DataError } from './coco.ts';
import { readImageSize, type ImageSize } from './image-size.ts';
import type { LabelledImage, LabelledObject, LabelledSet, Split } from './load.ts';

/** The 20 classes of VOC 2007 and 2012, in the order of the official development kit. */
export const VOC_CLASSES: readonly string[] = [
  'aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat', 'chair', 'cow',
  'diningtable', 'dog', 'horse', 'motorbike', 'person', 'pottedplant', 'sheep', 'sofa', 'train', 'tvmonitor',
];

const isVocRoot = (dir: string) => existsSync(join(dir, 'Annotations'));

/** `dir` itself when it holds Annotations/, else the one year folder of a VOCdevkit folder; undefined for neither. */
export function vocRoot(dir: string): string | undefined {
  if (isVocRoot(dir)) return dir;
  const years = readdirSync(dir).filter((f) => /^VOC\d{4}$/.test(f) && isVocRoot(join(dir, f)));
  if (years.length > 1) throw new DataError(`${dir}: a VOCdevkit with ${years.join(', ')}; name one of them`);
  return years[0] && join(dir, years[0]);
}

type Xml = Record<string, unknown>;

// Values stay text (a class named "1" stays a name); <object> is a list even when there is one.
const parser = new XMLParser({ parseTagValue: false, isArray: (tag) => tag === 'object' });

function readXml(file: string): Xml {
  const text = readFileSync(file, 'utf8');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new DataError(`${file}:${valid.err.line}: malformed XML (${valid.err.msg})`);
  const ann = (parser.parse(text) as Xml).annotation;
  if (!ann || typeof ann !== 'object') throw new DataError(`${file}: no <annotation> element`);
  return ann as Xml;
}

/** The number in `<key>` under `node`; `what` says where, for the message. */
function numberIn(node: unknown, key: string, file: string, what: string): number {
  const text = String((node as Xml | undefined)?.[key] ?? '').trim();
  if (!text || !Number.isFinite(Number(text))) throw new DataError(`${file}: ${what}<${key}> is missing or not a number`);
  return Number(text);
}

function vocObject(o: Xml, k: number, file: string, classes: readonly string[], { width, height }: ImageSize): LabelledObject {
  const name = String(o.name ?? '').trim();
  const what = `object ${k + 1} ('${name}'): `;
  const cls = classes.indexOf(name);
  if (cls < 0) throw new DataError(`${file}: ${what}unknown class (the classes: ${classes.join(', ')})`);
  const [xmin, ymin, xmax, ymax] = ['xmin', 'ymin', 'xmax', 'ymax'].map((key) => numberIn(o.bndbox, key, file, what)) as [number, number, number, number];
  // VOC boxes are 1-based and inclusive (pixels xmin..xmax); COCO's are 0-based with a width. Converted as
  // the common converters (Detectron's voc_to_coco, MMDetection's pascal_voc) do it.
  const bbox: LabelledObject['bbox'] = [xmin - 1, ymin - 1, xmax - xmin + 1, ymax - ymin + 1];
  const [x, y, w, h] = bbox;
  // a pixel of slack, as for COCO: some tools write 0-based corners
  if (x < -1 || y < -1 || w <= 0 || h <= 0 || x + w > width + 1 || y + h > height + 1) {
    throw new DataError(`${file}: ${what}box ${xmin},${ymin},${xmax},${ymax} is empty or lies outside the ${width}x${height} image`);
  }
  return { cls, bbox, ...(String(o.difficult ?? '').trim() === '1' && { ignore: true }) };
}

function vocImage(root: string, id: string, at: string, classes: readonly string[]): LabelledImage {
  const file = join(root, 'Annotations', `${id}.xml`);
  if (!existsSync(file)) throw new DataError(`${at}: image '${id}' has no annotation ${file}`);
  const ann = readXml(file);
  const fileName = join('JPEGImages', String(ann.filename ?? '').trim() || `${id}.jpg`);
  if (!existsSync(join(root, fileName))) throw new DataError(`${file}: image ${fileName} is missing from ${root}`);
  const size = readImageSize(join(root, fileName));
  if (ann.size !== undefined) {
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
  if (!existsSync(list)) throw new DataError(`${list}: no such file (the image ids of the ${split} split)`);
  const images = readFileSync(list, 'utf8').split(/\r?\n/).flatMap((line, i) => {
    const id = line.trim().split(/\s+/)[0];
    return id ? [vocImage(root, id, `${list}:${i + 1}`, classes)] : [];
  });
  return { root, names: [...classes], images };
}
