// quantize int8 qat in a run: from the calibration ptq made, the training-form model trains on the data
// set's train split (checkpointed in the step's folder, so a stopped run resumes mid-epoch), and is encoded
// as ordinary Q/DQ. The step then checks that the deployed model computes what training simulated: the mAP
// of the training-form model (fake quantization in float ops) and of the exported Q/DQ model (onnxruntime's
// int8 kernels) are both measured and recorded, with the PTQ model's as the starting point.
import type { ModelProto } from 'onnx-buf';
import type { RunContext, StepOutcome } from '../../run/types.ts';
import { finetuneModel } from '../finetune/train.ts';
import { teaching, teachingDetails, type Teaching } from '../distill/run.ts';
import { QAT_DEFAULTS } from './index.ts';
import { int8Details, type Int8Calibrated } from './int8.ts';
import { encodeQat, fakeQuantModel, medianScaleChange, qatPolicy } from './qat.ts';
import type { QuantizeParams } from './run.ts';

/** The largest mAP@.5:.95 gap between the QAT graph and the exported model before lithe warns: the int8
 *  kernels' arithmetic (int32 bias, fixed-point requantization) moves a few detections, no more. */
export const QAT_MAP_TOLERANCE = 0.01;

/** `qat distill`: the teacher `distill from teacher` would use (the declared one, else the recipe's input
 *  model), compared on class scores and the heads' input feature maps, the two that see quantization error
 *  where it reaches the detections. */
export const QAT_DISTILL = { from: 'teacher', losses: ['cls', 'feat'] } as const;

const points = (m?: number) => (m === undefined ? undefined : Number((100 * m).toFixed(2)));

export async function runQat(p: QuantizeParams, ctx: RunContext, c: Int8Calibrated, ptq: ModelProto): Promise<StepOutcome> {
  const epochs = p.epochs ?? QAT_DEFAULTS.epochs;
  const lr = p.lr ?? QAT_DEFAULTS.lr;
  const learn = p.learn_scales === true;
  const ptqMap = (await ctx.measure(ptq, ['map'])).map;
  const { model: fake, fq } = fakeQuantModel(c);
  ctx.log(`qat: ${epochs} epochs at lr ${lr}, ${fq.activations.size} activations and ${fq.weights.size} weights quantized, scales ${learn ? 'learned (LSQ)' : 'fixed from calibration'}`);
  const distill = p.distill ? { from: QAT_DISTILL.from, losses: [...QAT_DISTILL.losses] } : undefined;
  const taught: Teaching | undefined = distill && await teaching(ctx, fake, ctx.teacher(distill.from), distill);
  let tuned: Awaited<ReturnType<typeof finetuneModel>>;
  try {
    tuned = await finetuneModel(ctx, fake, { epochs, lr, out: ctx.dir, weights: qatPolicy(fq, learn), loss: taught?.loss });
  } finally {
    await taught?.teacher.release();
  }
  const simulated = (await ctx.measure(tuned.model, ['map'])).map;
  const r = encodeQat(c, tuned.model, fq);
  const measures = await ctx.measure(r.model);
  const gap = simulated === undefined || measures.map === undefined ? undefined : Math.abs(simulated - measures.map);
  if (gap !== undefined && gap > QAT_MAP_TOLERANCE) {
    ctx.log(`warning: the exported model's mAP ${points(measures.map)} differs from the QAT graph's ${points(simulated)} by more than ${points(QAT_MAP_TOLERANCE)} points: the runtime's int8 kernels do not compute what training simulated`);
  }
  return {
    model: r.model,
    measures,
    details: {
      mode: 'qat', ...int8Details(r.report), epochs, lr, learn_scales: learn,
      ...(taught && distill && { distill: teachingDetails(taught, distill) }),
      ...(learn && { scales_median_change_percent: Number((100 * medianScaleChange(fake, tuned.model, fq)).toFixed(3)) }),
      mean_loss_per_epoch: tuned.losses.map((l) => Number(l.toFixed(4))).join(', '),
      ...(gap !== undefined && {
        map_ptq: points(ptqMap), map_qat_graph: points(simulated), map_exported: points(measures.map),
        map_gap: points(gap), map_agrees: gap <= QAT_MAP_TOLERANCE,
      }),
    },
  };
}
