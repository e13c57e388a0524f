// Broken data under `lithe run` and `lithe train`: found before the run starts or when the input model is measured, when the quantizer
// calibrates on the train split, and inside a batch worker while fine-tuning or in lithe train's training
// worker (an error must cross the threads as a named one). The control runs the whole tiny recipe.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RobustCase } from '../types.ts';
import { runCase, trainCase } from './case.ts';
import { cocoJson, cocoSet, cut, png, write, type CocoJson } from './fixtures.ts';

/** A valid val.json, and a train.json whose image a.png is `c.png`, cut short: its header passes, its data does not. */
function brokenTrain(dir: string): string {
  const val = cocoSet(dir);
  copyFileSync(val, join(dir, 'val.json'));
  writeFileSync(join(dir, 'c.png'), cut(png(32, 32)));
  const gt: CocoJson = cocoJson();
  gt.images[0]!.file_name = 'c.png';
  write(join(dir, 'train.json'), JSON.stringify(gt));
  return `data coco "${join(dir, 'train.json')}" val "${join(dir, 'val.json')}"`;
}

export const runCases: RobustCase[] = [
  runCase('run: quantize on a valid COCO set', 'ok', (dir) => `data coco "${cocoSet(dir)}"`, 'quantize int8 ptq calib 2'),
  runCase('run: bbox of strings', 'fail', (dir) => `data coco "${cocoSet(dir, (gt) => { gt.annotations[0]!.bbox = ['4', '4', '12', '10']; })}"`),
  // no boxes to score against: the run measures what it can, as on unlabelled images (issue 13), and says why
  runCase('run: zero annotations in the val split (no mAP, the rest measured)', 'ok', (dir) => `data coco "${cocoSet(dir, (gt) => { gt.annotations = []; })}"`, undefined, {
    verify: (_, o) => (/mAP is not measured: the val split .* has no annotations/.test(o.err) ? undefined : `the run does not say why it measures no mAP: ${o.err.slice(0, 200)}`),
  }),
  runCase('run: zero annotations in the val split, and eval map', 'fail', (dir) => `data coco "${cocoSet(dir, (gt) => { gt.annotations = []; })}"`, 'eval map'),
  runCase('run: a truncated PNG in the train split, found when calibrating', 'fail', brokenTrain, 'quantize int8 ptq calib 2'),
  runCase('run: a truncated PNG in the train split, found by a batch worker', 'fail', brokenTrain, 'finetune epochs 1 batch 2'),
  trainCase('train: a truncated PNG, found in the training worker by a batch worker', 'fail', (dir) => { brokenTrain(dir); return join(dir, 'train.json'); }),
];
