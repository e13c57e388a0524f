// lithe eval MODEL --data PATH [--size N|HxW] [--json]: a model's COCO-style mAP on the val split of a data set
// in any format loadDetectionSet reads (COCO, YOLO, VOC), the model prepared as a run prepares it. lithe eval --detections DETS.json --gt GT.json [--json]: the same
// for a COCO results file, without a model.
import { evaluateCoco, mapUndefined, SUMMARY_NAMES, type CocoDetection, type CocoGt } from '../../metrics/coco.ts';
import { DataError } from '../../data/coco.ts';
import { EXIT, UsageError, type Io } from '../io.ts';
import { sizeFlag, wholeFlag } from '../flags.ts';
import { readJson } from '../read.ts';
import { loadDetectionSet } from '../../data/load.ts';
import { loadPrepared } from './load-prepared.ts';
import { evaluateModel } from '../../metrics/evaluate-model.ts';

const isBox = (b: unknown): b is [number, number, number, number] => Array.isArray(b) && b.length === 4 && b.every((x) => typeof x === 'number' && Number.isFinite(x));

function groundTruth(path: string): CocoGt {
  const j = readJson(path) as Partial<CocoGt>;
  if (!j || !Array.isArray(j.images) || !Array.isArray(j.annotations) || !Array.isArray(j.categories)) {
    throw new UsageError(`${path}: a COCO annotation file has "images", "annotations" and "categories" lists`);
  }
  const withId = (list: unknown[], what: string) => list.forEach((x, i) => {
    if (!x || typeof (x as { id?: unknown }).id !== 'number') throw new UsageError(`${path}: ${what} ${i} needs a numeric id`);
  });
  withId(j.images, 'image');
  withId(j.categories, 'category');
  j.annotations.forEach((a, i) => {
    if (!a || typeof a.id !== 'number' || typeof a.image_id !== 'number' || typeof a.category_id !== 'number' || !isBox(a.bbox) || typeof a.area !== 'number') {
      throw new UsageError(`${path}: annotation ${i} needs numeric id, image_id, category_id, area and a bbox [x, y, w, h]`);
    }
  });
  const why = mapUndefined(j as CocoGt);
  if (why) throw new DataError(`${path}: ${why}: mAP is undefined`);
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

export interface EvalFlags { detections?: string; gt?: string; data?: string; images?: string; batch?: string; limit?: string; size?: string; json: boolean }


export async function runEval(args: string[], flags: EvalFlags, io: Io): Promise<number> {
  if (args.length > 1) throw new UsageError('eval takes one MODEL');
  if (args.length === 1) return evalModel(args[0]!, flags, io);
  if (!flags.detections || !flags.gt) throw new UsageError('eval needs MODEL --data PATH, or --detections DETS.json --gt GT.json');
  return report(evaluateCoco(groundTruth(flags.gt), detections(flags.detections)), flags.json, io);
}

async function evalModel(file: string, flags: EvalFlags, io: Io): Promise<number> {
  if (!flags.data) throw new UsageError('eval MODEL needs --data PATH (a COCO .json or lithe data synth folder, a YOLO data.yaml, or a VOC folder)');
  // a broken data set, or an image in it that cannot be read, stops the command before any work
  const size = sizeFlag(flags.size);
  const data = loadDetectionSet(flags.data, { images: flags.images });
  const r = await evaluateModel(loadPrepared(file, size, true).model, data, { batch: wholeFlag(flags.batch, '--batch'), limit: wholeFlag(flags.limit, '--limit') });
  if (!flags.json) io.out(`${file} on ${flags.data}: ${r.images} images in ${r.seconds.toFixed(1)} s\n\n`);
  return report(r, flags.json, io);
}

function report({ stats, perClass }: { stats: number[]; perClass: Map<number, number> }, json: boolean, io: Io): number {
  if (json) {
    io.out(`${JSON.stringify({ coco: stats, perClass: Object.fromEntries(perClass) }, null, 2)}\n`);
    return EXIT.ok;
  }
  const fmt = (x: number) => (x < 0 ? '  -   ' : x.toFixed(4));
  io.out(SUMMARY_NAMES.map((name, i) => `${name.padEnd(26)}${fmt(stats[i]!)}`).join('\n') + '\n\n');
  io.out(`class  AP @[.50:.95]\n${[...perClass].map(([c, ap]) => `${String(c).padStart(5)}  ${fmt(ap)}`).join('\n')}\n`);
  return EXIT.ok;
}
