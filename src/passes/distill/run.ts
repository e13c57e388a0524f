// distill from NAME with LOSS{+LOSS}: the current model (the student) trained on the data set with the chosen
// losses added to its detection loss, the teacher running frozen beside it on the same batches. Everything
// the losses compare is paired and checked before the first step (pairs.ts); the adapters some losses add
// train with the student and are left out of the model it returns, which has the student's graph only.
import type { ModelProto } from 'onnx-buf';
import type { PassRun } from '../../run/types.ts';
import type { LossBuilder } from '../../train/graph.ts';
import type { HeadGeometry } from '../../train/loss/yolo-targets.ts';
import type { ExtraLoss } from '../../train/loop.ts';
import { finetuneModel } from '../finetune/train.ts';
import { mulberry32 } from '../../util/random.ts';
import { losses as ALL } from './losses/registry.ts';
import type { Loss, LossContext, Pair } from './losses/types.ts';
import { distillPairs, type DistillPairs, type Pairing } from './pairs.ts';
import { TeacherRun } from './teacher.ts';
import { LitheError } from '../../errors.ts';
import { sizeText, type InputSize } from '../../data/size.ts';
import type { RunContext } from '../../run/types.ts';
import type { CocoSet } from '../../data/coco.ts';
import { preprocessOf } from '../../data/preprocess.ts';
import { pseudoLabelled, PSEUDO_CONF } from './pseudo-labels.ts';

/** T = 2: soft enough that the teacher's second guesses carry signal, as in Hinton's and Chen's experiments. */
export const DISTILL_DEFAULTS = { temperature: 2 } as const;

export interface DistillParams { from: string; losses: string[]; epochs: number; lr?: number; temperature?: number; weights?: Record<string, number>; at?: unknown }

export const lossById = new Map(ALL.map((l) => [l.id, l]));
/** The name a teacher's value is fed under in the training graph. */
export const fed = (teacherValue: string): string => `teacher:${teacherValue}`;

export interface TermOptions { temperature?: number; weights?: Record<string, number>; seed: number }

/**
 * The chosen losses' terms in a training graph (each weighted) for the student's `heads`; the teacher's
 * tensors they read are declared as inputs named `teacher:VALUE` as they are first used, and listed in `fed`.
 */
export function distillTerms(b: LossBuilder, heads: HeadGeometry[], chosen: Loss[], pairs: DistillPairs, size: InputSize, o: TermOptions): { terms: string[]; fed: Pairing[] } {
  const batch = b.shape(heads[0]!.output)[0]!;
  const atBatch = (s: (number | string)[]) => [batch, ...s.slice(1)] as number[];
  const declared = new Map<string, Pairing>();
  const input = (t: Pairing): string => {
    if (!declared.has(t.teacher.value)) { b.input(fed(t.teacher.value), atBatch(t.teacher.shape)); declared.set(t.teacher.value, t); }
    return fed(t.teacher.value);
  };
  const ctx: LossContext = {
    b, heads, batch, size, temperature: o.temperature ?? DISTILL_DEFAULTS.temperature, random: mulberry32(o.seed + 1),
    teacher: (output) => input(pairs.heads.find((h) => h.student.value === output)!),
    // declared only when a loss reads them: a feature map fed but unread would be wasted work each step
    get pairs(): Pair[] {
      return pairs.features.map((f) => ({ student: f.student.value, teacher: input(f), studentShape: atBatch(f.student.shape), teacherShape: atBatch(f.teacher.shape) }));
    },
  };
  const terms = chosen.map((l) => b.emit.op1('Mul', [l.build(ctx), b.emit.scalar(o.weights?.[l.id] ?? l.weight)]));
  return { terms, fed: [...declared.values()] };
}

/** The terms as an extra loss for the training loop: the teacher runs on each batch for the values they read. */
function extraLoss(chosen: Loss[], pairs: DistillPairs, size: InputSize, teacher: TeacherRun, o: TermOptions): ExtraLoss {
  let fedPairs: Pairing[] = [];
  return {
    terms(b, heads) {
      const r = distillTerms(b, heads, chosen, pairs, size, o);
      fedPairs = r.fed;
      return r.terms;
    },
    async feeds(batch) {
      const [h, w] = size;
      const out = await teacher.run(batch.input, [batch.input.length / (3 * h * w), 3, h, w]);
      return Object.fromEntries(fedPairs.map((t) => [fed(t.teacher.value), out.get(t.teacher.value)!]));
    },
  };
}

/** The teacher's values the chosen losses can read (a superset of what they declare). */
export function tapsFor(chosen: Loss[], pairs: DistillPairs): string[] {
  const needs = new Set(chosen.flatMap((l) => l.needs));
  return [...new Set([...(needs.has('heads') ? pairs.heads : []), ...(needs.has('features') ? pairs.features : [])].map((t) => t.teacher.value))];
}

/** Unlabelled images: the teacher's confident detections become the labels (pseudo-labels.ts). */
async function pseudoLabels(ctx: RunContext, teacher: ModelProto): Promise<CocoSet> {
  const set = await pseudoLabelled(teacher, ctx.data().train, { threads: ctx.threads, head: ctx.plan.head, preprocess: preprocessOf(ctx.plan.data) });
  const n = set.gt.annotations.length;
  if (!n) throw new LitheError(`the teacher finds no object scoring ${PSEUDO_CONF} or more in ${set.gt.images.length} images of ${ctx.plan.data?.path}: there is nothing to distil on these images (is it the right teacher, and the right preprocessing?)`);
  ctx.log(`pseudo-labels: the teacher's ${n} detections scoring ≥ ${PSEUDO_CONF} on ${set.gt.images.length} images (no labels in the data)`);
  return set;
}

/** A teacher running beside training and the losses that compare the student with it: what `distill` and
 *  `quantize int8 qat distill` add to the training loop. Release the teacher when training ends. */
export interface Teaching { loss: ExtraLoss; teacher: TeacherRun; chosen: Loss[]; pairs: DistillPairs; data?: CocoSet }

export async function teaching(ctx: RunContext, student: ModelProto, teacherModel: ModelProto, p: Omit<DistillParams, 'epochs'>): Promise<Teaching> {
  const size = ctx.size(student);
  const taught = ctx.size(teacherModel);
  if (taught.join() !== size.join()) throw new LitheError(`the teacher takes ${sizeText(taught)} px images and the student ${sizeText(size)}: they must see the same images`);
  const pairs = distillPairs(student, teacherModel, p.at ? ctx.select(p.at as never, student) : undefined);
  const chosen = p.losses.map((id) => lossById.get(id)!);
  ctx.log(`teacher '${p.from}'; ${chosen.map((l) => `${l.id} ×${p.weights?.[l.id] ?? l.weight}`).join(', ')}; feature maps ${pairs.features.map((f) => `${f.student.value} ↔ ${f.teacher.value}`).join(', ')}`);
  const data = ctx.plan.data?.format === 'images' ? await pseudoLabels(ctx, teacherModel) : undefined;
  const teacher = await TeacherRun.create(teacherModel, tapsFor(chosen, pairs), ctx.threads);
  return { loss: extraLoss(chosen, pairs, size, teacher, { ...p, seed: ctx.seed }), teacher, chosen, pairs, data };
}

/** What a report says of the teaching. */
export function teachingDetails(t: Teaching, p: Omit<DistillParams, 'epochs'>): Record<string, unknown> {
  return {
    teacher: p.from, losses: t.chosen.map((l) => `${l.id} (weight ${p.weights?.[l.id] ?? l.weight})`).join(', '), temperature: p.temperature ?? DISTILL_DEFAULTS.temperature,
    ...(t.data && { pseudo_labels: `${t.data.gt.annotations.length} boxes on ${t.data.gt.images.length} images, score ≥ ${PSEUDO_CONF}` }),
  };
}

export const runDistill: PassRun = async (step, ctx, model) => {
  const p = step.params as unknown as DistillParams;
  const t = await teaching(ctx, model, ctx.teacher(p.from), p);
  try {
    const r = await finetuneModel(ctx, model, { epochs: p.epochs, lr: p.lr, out: ctx.dir, data: t.data, loss: t.loss });
    return {
      model: r.model,
      details: {
        ...teachingDetails(t, p),
        epochs: p.epochs, mean_loss_per_epoch: r.losses.map((l) => Number(l.toFixed(4))).join(', '),
        pairs: t.pairs.features.map((f) => ({ student: f.student.value, student_shape: f.student.shape.slice(1).join('x'), teacher: f.teacher.value, teacher_shape: f.teacher.shape.slice(1).join('x') })),
      },
    };
  } finally {
    await t.teacher.release();
  }
};
