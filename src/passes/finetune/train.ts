// Fine-tuning inside a run, for `finetune` and for `prune ... finetune epochs N`: the training engine on the
// data set's train split at the model's own input size, checkpointing into the step's folder so that an
// interrupted run resumes mid-way. Short runs warm up for a tenth of their length rather than a whole epoch.
import type { ModelProto } from 'onnx-buf';
import { train, type ExtraLoss, type WeightPolicy } from '../../train/loop.ts';
import type { RunContext } from '../../run/types.ts';
import { square } from '../../data/size.ts';
import { preprocessOf } from '../../data/preprocess.ts';
import type { CocoSet } from '../../data/coco.ts';

/** `loss`: terms added to the detection loss (distillation). `data`: the set to train on in place of the run's
 *  train split (the teacher's pseudo-labels). `weights`: which weights train, and how (qat's step sizes). */
export interface FinetuneOptions { epochs: number; lr?: number; batch?: number; out: string; loss?: ExtraLoss; data?: CocoSet; weights?: WeightPolicy }

/** lr: a from-scratch run's 0.01. Pruning half a layer's channels leaves little of the old accuracy, and on
 *  bench:run's dynamic 0.5 pipeline 5 epochs at 0.01 recovered to −0.1 points where 0.002 stopped at −4.9. */
export const FINETUNE_DEFAULTS = { lr: 0.01, batch: 8 } as const;

export async function finetuneModel(ctx: RunContext, model: ModelProto, o: FinetuneOptions): Promise<{ model: ModelProto; losses: number[] }> {
  let losses: number[] = [];
  let sum = 0;
  const trained = await train(model, o.data ?? ctx.data().train, {
    epochs: o.epochs, size: square(ctx.size(model), 'fine-tuning (training)'), batch: o.batch ?? FINETUNE_DEFAULTS.batch, lr: o.lr ?? FINETUNE_DEFAULTS.lr,
    warmupEpochs: Math.min(1, o.epochs / 10), out: o.out, threads: ctx.threads, workers: 1, seed: ctx.seed, resume: true,
    preprocess: preprocessOf(ctx.plan.data),
  }, {
    stopRequested: ctx.stopRequested,
    loss: o.loss,
    weights: o.weights,
    carry: {
      save: () => ({ sum, losses, seconds: ctx.clock.elapsed() }),
      restore(saved) {
        const c = saved as { sum: number; losses: number[]; seconds: number };
        ({ sum, losses } = { sum: c.sum, losses: [...c.losses] });
        ctx.clock.resumeAt(c.seconds);
      },
    },
    progress: (p) => {
      sum += p.loss;
      ctx.progress?.(`epoch ${p.epoch + 1}/${p.epochs}: step ${p.step}/${p.steps}, loss ${p.loss.toFixed(4)}, ${p.imagesPerSecond.toFixed(1)} images/s`);
      if (p.step !== p.steps) return;
      losses.push(sum / p.steps);
      ctx.log(`epoch ${p.epoch + 1}/${p.epochs}: mean loss ${(sum / p.steps).toFixed(4)}, ${p.imagesPerSecond.toFixed(1)} images/s`);
      sum = 0;
    },
  });
  return { model: trained, losses };
}
