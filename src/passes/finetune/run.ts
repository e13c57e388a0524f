// finetune epochs N: the current model trained on the data set's train split.
import type { PassRun } from '../../run/types.ts';
import { finetuneModel } from './train.ts';

export const runFinetune: PassRun = async (step, ctx, model) => {
  const p = step.params as { epochs: number; lr?: number; batch?: number };
  const r = await finetuneModel(ctx, model, { ...p, out: ctx.dir });
  return { model: r.model, details: { epochs: p.epochs, mean_loss_per_epoch: r.losses.map((l) => Number(l.toFixed(4))).join(', ') } };
};
