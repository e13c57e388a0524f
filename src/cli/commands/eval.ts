// lithe eval --detections DETS.json --gt GT.json [--json]: COCO-style evaluation of a COCO results file.
// (lithe eval MODEL --data PATH arrives with the data loaders and output decoding.)
import { readFileSync } from 'node:fs';
import { evaluateCoco, SUMMARY_NAMES, type CocoDetection, type CocoGt } from '../../metrics/coco.ts';
import { EXIT, UsageError, type Io } from '../io.ts';

function readJson(path: string): unknown {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) { throw new UsageError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`); }
  try { return JSON.parse(text); } catch (e) { throw new UsageError(`${path}: not JSON (${(e as Error).message})`); }
}

const isBox = (b: unknown): b is [number, number, number, number] => Array.isArray(b) && b.length === 4 && b.every((x) => typeof x === 'number' && Number.isFinite(x));

function groundTruth(path: string): CocoGt {
  const j = readJson(path) as Partial<CocoGt>;
  if (!j || !Array.isArray(j.images) || !Array.isArray(j.annotations) || !Array.isArray(j.categories)) {
    throw new UsageError(`${path}: a COCO annotation file has "images", "annotations" and "categories" lists`);
  }
  j.annotations.forEach((a, i) => {
    if (typeof a.id !== 'number' || typeof a.image_id !== 'number' || typeof a.category_id !== 'number' || !isBox(a.bbox) || typeof a.area !== 'number') {
      throw new UsageError(`${path}: annotation ${i} needs numeric id, image_id, category_id, area and a bbox [x, y, w, h]`);
    }
  });
  return j as CocoGt;
}

function detections(path: string): CocoDetection[] {
  const j = readJson(path);
  if (!Array.isArray(j)) throw new UsageError(`${path}: a COCO results file is a list of detections`);
  j.forEach((d: Partial<CocoDetection>, i) => {
    if (typeof d.image_id !== 'number' || typeof d.category_id !== 'number' || !isBox(d.bbox) || typeof d.score !== 'number') {
      throw new UsageError(`${path}: detection ${i} needs numeric image_id, category_id, score and a bbox [x, y, w, h]`);
    }
  });
  return j as CocoDetection[];
}

export function runEval(args: string[], flags: { detections?: string; gt?: string; json: boolean }, io: Io): number {
  if (args.length) throw new UsageError('evaluating a model (lithe eval MODEL --data PATH) needs the data loaders and output decoding, which are not implemented yet; use --detections DETS.json --gt GT.json');
  if (!flags.detections || !flags.gt) throw new UsageError('eval needs --detections DETS.json and --gt GT.json');
  const { stats, perClass } = evaluateCoco(groundTruth(flags.gt), detections(flags.detections));
  if (flags.json) {
    io.out(`${JSON.stringify({ coco: stats, perClass: Object.fromEntries(perClass) }, null, 2)}\n`);
    return EXIT.ok;
  }
  const fmt = (x: number) => (x < 0 ? '  -   ' : x.toFixed(4));
  io.out(SUMMARY_NAMES.map((name, i) => `${name.padEnd(26)}${fmt(stats[i]!)}`).join('\n') + '\n\n');
  io.out(`class  AP @[.50:.95]\n${[...perClass].map(([c, ap]) => `${String(c).padStart(5)}  ${fmt(ap)}`).join('\n')}\n`);
  return EXIT.ok;
}
