// The plan's data set for a run: the train and val splits as COCO sets, and calibration batches. `data synth`
// is generated once into data/synth (the folder `lithe data synth` writes by default) or, for other seeds
// and sizes, data/synth-seedS-nN, and reused by later runs: images depend only on seed and index. `data
// images` is one folder of unlabelled images serving as both splits: no boxes, so nothing measures mAP on it.
// Calibration batches carry the recipe's preprocessing (mean, std, bgr), as the model wants its input.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DataDecl } from '../plan/types.ts';
import type { CocoSet } from '../data/coco.ts';
import { loadDetectionSet } from '../data/load.ts';
import { DetectionLoader, type Batch } from '../data/batches.ts';
import { generateSynth, SYNTH_DEFAULTS } from '../data/synth/generate.ts';
import { loadImageFolder } from '../data/images.ts';
import { preprocessOf } from '../data/preprocess.ts';
import { RunError, type RunData } from './types.ts';

function synthFolder(d: DataDecl, root: string, log: (s: string) => void): string {
  const seed = d.seed ?? SYNTH_DEFAULTS.seed;
  const train = typeof d.images === 'number' ? d.images : SYNTH_DEFAULTS.train;
  // a small train split gets a val split a quarter its size: the same images as the first of the full one's
  const val = Math.max(8, Math.min(SYNTH_DEFAULTS.val, Math.round(train / 4)));
  const dir = seed === SYNTH_DEFAULTS.seed && train === SYNTH_DEFAULTS.train ? join(root, 'synth') : join(root, `synth-seed${seed}-n${train}`);
  if (!existsSync(dir)) {
    log(`generating the synthetic benchmark into ${dir} (seed ${seed}, ${train} train + ${val} val images)`);
    generateSynth({ out: dir, seed, train, val });
  }
  return dir;
}

/** Where each split comes from: COCO annotation files take `images` as their image folder. */
function sources(d: DataDecl, root: string, log: (s: string) => void): { train: () => CocoSet; val: () => CocoSet } {
  if (d.format === 'synth') {
    const dir = synthFolder(d, root, log);
    return { train: () => loadDetectionSet(dir, { split: 'train' }), val: () => loadDetectionSet(d.val ?? dir, { split: 'val' }) };
  }
  if (!d.path) throw new RunError(`data ${d.format} needs a path`);
  if (d.format === 'images') {
    let set: CocoSet | undefined;
    const once = () => (set ??= loadImageFolder(d.path!));
    return { train: once, val: once };
  }
  const images = d.format === 'coco' && typeof d.images === 'string' ? d.images : undefined;
  return {
    train: () => loadDetectionSet(d.path!, { split: 'train', images }),
    val: () => (d.val ? loadDetectionSet(d.val, { split: 'val', images }) : loadDetectionSet(d.path!, { split: 'val', images })),
  };
}

/** The data of a plan, loaded on first use; `root` holds generated synthetic sets. */
export function runData(d: DataDecl | undefined, root: string, log: (s: string) => void): () => RunData {
  let data: RunData | undefined;
  return () => {
    if (data) return data;
    if (!d) throw new RunError('this step needs data, and the recipe declares none (add e.g. `data synth`)');
    const src = sources(d, root, log);
    let train: CocoSet | undefined;
    let val: CocoSet | undefined;
    data = {
      get train() { return (train ??= src.train()); },
      get val() { return (val ??= src.val()); },
      calibration(count: number, size: number, batch: number): Batch[] {
        const loader = new DetectionLoader(this.train, { size, batch, shuffle: true, seed: 0, dropLast: true, preprocess: preprocessOf(d) });
        const n = Math.max(1, Math.min(loader.batchesPerEpoch(), Math.floor(count / batch)));
        return Array.from({ length: n }, (_, b) => loader.batch(0, b));
      },
    };
    return data;
  };
}
