// The shapes of a data case: `lithe eval MODEL --data PATH` on a data set a case writes, `lithe run` of a
// tiny recipe (quantize int8, calibrated on two images) over one, and `lithe train` for an epoch on one. A case that must fail must also
// name a file of its data set: every message a broken data set gets says where the problem is.
import { join } from 'node:path';
import type { Outcome, RobustCase } from '../types.ts';
import { model, write } from './fixtures.ts';

export interface DataCaseOptions {
  /** The model's class count: 2 for the COCO and YOLO sets, 20 for VOC. */
  classes?: number;
  subprocess?: boolean;
  /** More checks on the outcome, in words when one fails. */
  verify?: (dir: string, o: Outcome) => string | undefined;
}

const namesAFile = (dir: string, o: Outcome): string | undefined =>
  o.err.includes(dir) ? undefined : `the message names no file of the data set: ${o.err.trim().split('\n')[0]}`;

/** No table prints pycocotools' -1 "undefined" as -100 points, or -1 as a score. */
const noMinusOne = (_: string, o: Outcome): string | undefined => (/-100\.0|(^|\s)-1\.0000/m.test(o.out) ? 'an undefined mAP printed as a number' : undefined);

function dataCase(name: string, expect: 'ok' | 'fail', setup: (dir: string) => string[], o: DataCaseOptions): RobustCase {
  return {
    kind: 'data', name, expect, subprocess: o.subprocess, setup,
    verify: (dir, out) => o.verify?.(dir, out) ?? noMinusOne(dir, out) ?? (expect === 'fail' ? namesAFile(dir, out) : undefined),
  };
}

/** `lithe eval` of a model for `o.classes` classes on the data set `data` writes into the case's folder. */
export function evalCase(name: string, expect: 'ok' | 'fail', data: (dir: string) => string, o: DataCaseOptions = {}): RobustCase {
  return dataCase(name, expect, (dir) => ['eval', model(dir, o.classes ?? 2), '--data', data(dir)], o);
}

/** `lithe run` of a recipe declaring `data` (its `data` line, for the set the case writes) and quantizing. */
export function runCase(name: string, expect: 'ok' | 'fail', data: (dir: string) => string, steps = 'quantize int8 ptq calib 2\neval', o: DataCaseOptions = {}): RobustCase {
  return dataCase(name, expect, (dir) => {
    const recipe = write(join(dir, 'r.cmp'), `model "${model(dir, o.classes ?? 2)}"\n${data(dir)} calib 2\ntarget x86\n${steps}\n`);
    return ['run', recipe, '--out', join(dir, 'run')];
  }, o);
}

/** `lithe train` of a zoo model at 64x64 for an epoch on the set `data` writes, batches drawn by a worker. */
export function trainCase(name: string, expect: 'ok' | 'fail', data: (dir: string) => string, o: DataCaseOptions = {}): RobustCase {
  return dataCase(name, expect, (dir) => ['train', '--model', 'zoo:micro-yolo', '--data', data(dir), '--epochs', '1', '--size', '64', '--batch', '2', '--workers', '1', '--threads', '1', '--out', join(dir, 'train')], o);
}
