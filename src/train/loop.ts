// The training loop: batches from the loader, one onnxruntime step each, gradient clipping, the optimizer
// and schedule, EMA weights; a checkpoint after every epoch (and on request), from which `resume` continues
// exactly (the batches depend only on seed, epoch and position). A step whose loss or gradients are not
// finite stops the run; the last checkpoint holds the last good weights.
import { existsSync } from 'node:fs';
import { makeDir } from '../util/files.ts';
import { join } from 'node:path';
import type { ModelProto } from 'onnx-buf';
import type { CocoSet } from '../data/coco.ts';
import { batchSource } from '../data/prefetch.ts';
import { AUGMENT_DEFAULTS, type AugmentOptions } from '../data/augment.ts';
import { TrainingSession } from './session.ts';
import type { LossBuilder } from './graph.ts';
import type { Batch } from '../data/batches.ts';
import { TrainingError } from './graph.ts';
import { yoloFeeds, yoloHeads, yoloLoss } from './loss/yolo-loss.ts';
import type { HeadGeometry } from './loss/yolo-targets.ts';
import { sgd } from './optim/sgd.ts';
import { adamw } from './optim/adamw.ts';
import { schedule } from './optim/schedule.ts';
import { Ema } from './optim/ema.ts';
import { clipGradNorm } from './optim/clip.ts';
import { decaysByRank, type Optimizer } from './optim/types.ts';
import { readCheckpoint, writeCheckpoint } from './checkpoint.ts';
import type { Preprocess } from '../data/preprocess.ts';

export interface TrainOptions {
  epochs: number;
  size: number;
  batch: number;
  out: string;
  lr?: number;
  optimizer?: 'sgd' | 'adamw';
  weightDecay?: number;
  warmupEpochs?: number;
  clip?: number;
  seed?: number;
  augment?: AugmentOptions;
  threads?: number;
  /** Threads that draw batches ahead of the step (0: the training thread draws them). */
  workers?: number;
  resume?: boolean;
  /** The model's input normalisation (data ... mean/std/bgr), applied to every batch. */
  preprocess?: Preprocess;
}

export interface Progress { epoch: number; epochs: number; step: number; steps: number; loss: number; imagesPerSecond: number; lr: number }

/** Where the run stands: the next batch to train is `step` of `epoch`. */
interface Header { epoch: number; step: number; optimizer: string; options: TrainOptions; carry?: unknown }

const OPTIMIZERS = {
  sgd: (wd: number, decays: (n: string) => boolean) => sgd({ momentum: 0.937, nesterov: true, weightDecay: wd, decays }),
  adamw: (wd: number, decays: (n: string) => boolean) => adamw({ beta1: 0.937, weightDecay: wd, decays }),
};

/** Loss terms added to the detection loss (distillation): built once into the training graph, with inputs
 *  of their own fed each step from the batch (a teacher's outputs for the same images). */
export interface ExtraLoss {
  /** Adds the terms for the model's heads; returns each term's scalar value (weighted already). */
  terms(b: LossBuilder, heads: HeadGeometry[]): string[];
  /** The terms' inputs for a batch (its letterboxed images, NCHW float32, and their targets). */
  feeds(batch: Batch): Promise<Record<string, Float32Array>>;
}

/** Which weights train, and how: quantization-aware training freezes its step sizes, or learns them (scalars
 *  included) with their gradients scaled, and keeps weight decay off them. */
export interface WeightPolicy {
  frozen?(name: string): boolean;
  /** Scalars learned all the same (graph.ts leaves scalars fixed by default). */
  learned?(name: string): boolean;
  /** A factor applied to the weight's gradient before clipping and the optimizer (LSQ's gradient scale). */
  gradScale?(name: string): number;
  /** False where weight decay must not apply (it applies by default to weights of rank 2 or more). */
  decays?(name: string): boolean;
}

export interface TrainHooks {
  progress?: (p: Progress) => void;
  stopRequested?: () => boolean;
  /** The caller's own running state (losses so far, time spent), saved in each checkpoint and handed back on
   *  resume, so that what it reports after a resume equals what an uninterrupted run reports. */
  carry?: { save(): unknown; restore(saved: unknown): void };
  /** Terms added to the detection loss. */
  loss?: ExtraLoss;
  weights?: WeightPolicy;
}

/** Trains and returns the model with the EMA weights (the inference graph only). */
export async function train(model: ModelProto, data: CocoSet, opts: TrainOptions, hooks: TrainHooks = {}): Promise<ModelProto> {
  const { batch, size } = opts;
  makeDir(opts.out);
  const checkpoint = join(opts.out, 'checkpoint.bin');
  let heads: HeadGeometry[] = [];
  const session = await TrainingSession.create(model, {
    batch, threads: opts.threads, frozen: hooks.weights?.frozen, learned: hooks.weights?.learned,
    loss: (b) => {
      heads = yoloHeads(model, size, b.shape);
      const detection = yoloLoss(b, heads, size, batch);
      const extra = hooks.loss?.terms(b, heads) ?? [];
      return extra.length ? b.emit.op1('Sum', [detection, ...extra]) : detection;
    },
  });
  const loader = batchSource(data, { size, batch, seed: opts.seed ?? 0, augment: opts.augment ?? AUGMENT_DEFAULTS, dropLast: true, preprocess: opts.preprocess }, opts.workers);
  try {
    const perEpoch = loader.batchesPerEpoch();
    if (!perEpoch) throw new TrainingError(`the data set has ${loader.images} images, fewer than one batch of ${batch}`);
    const shapes = new Map(session.graph.params.map((p) => [p.name, p.shape]));
    const byRank = decaysByRank(shapes);
    const decays = (n: string) => byRank(n) && (hooks.weights?.decays?.(n) ?? true);
    const optimizer: Optimizer = OPTIMIZERS[opts.optimizer ?? 'sgd'](opts.weightDecay ?? 5e-4, decays);
    const factors = gradFactors(session.grads, hooks.weights?.gradScale);
    const lr = schedule({ lr: opts.lr ?? (opts.optimizer === 'adamw' ? 1e-3 : 1e-2), steps: opts.epochs * perEpoch, warmup: Math.round((opts.warmupEpochs ?? 1) * perEpoch) });
    const ema = new Ema(session.values);
    let start = { epoch: 0, step: 0 };
    if (opts.resume && existsSync(checkpoint)) start = restore(checkpoint, session, optimizer, ema, hooks);
    const save = (epoch: number, step: number) => writeCheckpoint<Header>(checkpoint, { epoch, step, optimizer: optimizer.id, options: opts, carry: hooks.carry?.save() }, collect(session, optimizer, ema));
    for (let epoch = start.epoch; epoch < opts.epochs; epoch++) {
      const t0 = performance.now();
      const from = epoch === start.epoch ? start.step : 0;
      for (let b = from; b < perEpoch; b++) {
        const step = epoch * perEpoch + b;
        const x = await loader.get(epoch, b);
        const extra = hooks.loss ? await hooks.loss.feeds(x) : {};
        const loss = await session.step({ [session.graph.feeds[0]!.name]: x.input, ...yoloFeeds(heads, x.targets), ...extra });
        for (const [name, k] of factors) scaleInPlace(session.grads.get(name)!, k);
        const norm = clipGradNorm(session.grads, opts.clip ?? 10);
        if (!Number.isFinite(loss) || !Number.isFinite(norm)) {
          throw new TrainingError(`the loss became ${loss} (gradient norm ${norm}) at epoch ${epoch + 1}, step ${b + 1}: stopped; ${checkpoint} holds the last good weights (try a lower --lr)`);
        }
        optimizer.step(session, lr(step));
        ema.update(session.values);
        hooks.progress?.({ epoch, epochs: opts.epochs, step: b + 1, steps: perEpoch, loss, lr: lr(step), imagesPerSecond: ((b + 1 - from) * batch * 1000) / (performance.now() - t0) });
        if (hooks.stopRequested?.()) { save(epoch, b + 1); throw new TrainingError(`stopped at epoch ${epoch + 1}, step ${b + 1}; --resume continues from there`); }
      }
      save(epoch + 1, 0);
    }
    return session.toModel(ema.values);
  } finally {
    await Promise.all([session.release(), loader.close()]);
  }
}

/** The weights whose gradient the policy scales, with their factor. */
function gradFactors(grads: Map<string, Float32Array>, scale?: (name: string) => number): [string, number][] {
  return scale ? [...grads.keys()].map((n): [string, number] => [n, scale(n)]).filter(([, k]) => k !== 1) : [];
}

function scaleInPlace(g: Float32Array, k: number): void {
  for (let i = 0; i < g.length; i++) g[i] = g[i]! * k;
}

function collect(session: TrainingSession, optimizer: Optimizer, ema: Ema): Map<string, Float32Array> {
  const all = new Map<string, Float32Array>();
  for (const [k, v] of session.values) all.set(`value:${k}`, v);
  for (const [k, v] of ema.values) all.set(`ema:${k}`, v);
  for (const [k, v] of Object.entries(optimizer.state())) all.set(`optim:${k}`, v);
  all.set('ema-updates', Float32Array.of(ema.updates));
  return all;
}

function restore(file: string, session: TrainingSession, optimizer: Optimizer, ema: Ema, hooks: TrainHooks): { epoch: number; step: number } {
  const { header, tensors } = readCheckpoint<Header>(file);
  if (header.optimizer !== optimizer.id) throw new TrainingError(`${file} was written by optimizer ${header.optimizer}, not ${optimizer.id}`);
  const put = (prefix: string, into: Map<string, Float32Array>) => {
    for (const [k, v] of into) {
      const t = tensors.get(`${prefix}${k}`);
      if (!t || t.length !== v.length) throw new TrainingError(`${file} does not fit this model (weight '${k}')`);
      v.set(t);
    }
  };
  put('value:', session.values);
  put('ema:', ema.values);
  optimizer.load(Object.fromEntries([...tensors].filter(([k]) => k.startsWith('optim:')).map(([k, v]) => [k.slice(6), v])));
  ema.updates = tensors.get('ema-updates')?.[0] ?? 0;
  if (header.carry !== undefined) hooks.carry?.restore(header.carry);
  return { epoch: header.epoch, step: header.step };
}
