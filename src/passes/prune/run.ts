// prune in a run: one shot (optionally fine-tuned), or progressive — `step 1/16 until map drop 0.5%` removes
// another 1/16 of every layer's original channels per round, fine-tunes, measures mAP on the val split, and
// stops before the round that would lose more than the allowed drop (or at the step's amount). Progressive
// runs also record a sensitivity table: each layer pruned alone by one round, mAP on part of the val split.
import type { ModelProto } from 'onnx-buf';
import type { Batch } from '../../data/batches.ts';
import { evaluateModel } from '../../metrics/evaluate-model.ts';
import type { SelectorJson } from '../../plan/selector.ts';
import { RunError, type PassRun, type RunContext, type StepOutcome } from '../../run/types.ts';
import { finetuneModel } from '../finetune/train.ts';
import { preprocessOf } from '../../data/preprocess.ts';
import { criterionById } from './criteria/registry.ts';
import { pruneModel, type PruneOptions, type PruneResult } from './prune-model.ts';
import type { Amount } from './allocate.ts';
import { loadTarget } from '../../targets/load.ts';

interface PruneParams {
  scope: string; criterion: string[]; amount: Amount; global?: boolean; round?: number; min?: number; keep?: SelectorJson;
  progressive?: { step: number; until_map_drop: number }; finetune?: { epochs: number; lr?: number };
}

/** Calibration images for data-driven criteria, and val images per sensitivity measurement. */
const CALIB_IMAGES = 64;
const SENSITIVITY_IMAGES = 100;

function options(p: PruneParams, ctx: RunContext, model: ModelProto): PruneOptions {
  const wantsData = p.criterion.some((c) => criterionById.get(c)?.needsData || c === 'dynamic');
  const batches: Batch[] = wantsData && ctx.plan.data ? ctx.data().calibration(ctx.plan.data.calib ?? CALIB_IMAGES, ctx.size(model), 8) : [];
  return {
    scope: ctx.select({ scope: p.scope }, model), keep: p.keep ? ctx.select(p.keep, model) : undefined,
    criterion: p.criterion, amount: p.amount, global: p.global, round: p.round, min: p.min, batches, threads: ctx.threads, seed: ctx.seed,
    target: ctx.plan.target ? loadTarget(ctx.plan.target.name) : undefined,
  };
}

/** A latency goal's figures for the report: predicted on the target, beside the measured latency of `eval`. */
const latencyDetails = (l: NonNullable<PruneResult['latency']>, target: string) => ({
  latency_target: target, goal_ms: Number(l.goal.toFixed(3)), predicted_ms_before: Number(l.before.toFixed(3)), predicted_ms_after: Number(l.after.toFixed(3)),
});

const layerRows = (r: PruneResult) => r.layers.map((l) => ({ layer: l.group, channels_before: l.before, channels_after: l.after }));

export const runPrune: PassRun = async (step, ctx, model) => {
  const p = step.params as unknown as PruneParams;
  // once per step: pruning keeps node names, so the selections hold for every round; images are read once
  const opts = options(p, ctx, model);
  if (p.progressive) return progressive(p, ctx, model, opts);
  const r = await pruneModel(model, opts);
  if (!r.reached) ctx.log(`the goal was not reached: round, min and keep leave ${r.after.params} parameters, ${r.after.macs} MACs`);
  ctx.log(`${r.layers.filter((l) => l.after < l.before).length} of ${r.layers.length} layers pruned; params ${r.before.params} → ${r.after.params}`);
  const lat = r.latency && latencyDetails(r.latency, ctx.plan.target!.name);
  if (lat) ctx.log(`predicted latency on ${ctx.plan.target!.name}: ${lat.predicted_ms_before} → ${lat.predicted_ms_after} ms (goal ${lat.goal_ms} ms)`);
  const tuned = p.finetune ? await finetuneModel(ctx, r.model, { epochs: p.finetune.epochs, lr: p.finetune.lr, out: ctx.dir }) : undefined;
  return { model: tuned?.model ?? r.model, details: { layers: layerRows(r), ...lat, ...(tuned && { finetune_mean_loss: tuned.losses.map((l) => Number(l.toFixed(4))).join(', ') }) } };
};

async function mapOf(ctx: RunContext, model: ModelProto, limit?: number): Promise<number> {
  return (await evaluateModel(model, ctx.data().val, { threads: ctx.threads, limit, preprocess: preprocessOf(ctx.plan.data) })).stats[0]!;
}

async function progressive(p: PruneParams, ctx: RunContext, model: ModelProto, opts: PruneOptions): Promise<StepOutcome> {
  if (typeof p.amount !== 'number') throw new RunError('progressive pruning takes a fraction as its amount (the most it may remove), not a flops or params goal');
  const { step, until_map_drop: drop } = p.progressive!;
  const rounds = Math.max(1, Math.floor(p.amount / step + 1e-9));
  const base = await mapOf(ctx, model);
  const sensitivity = await sensitivities(ctx, model, opts, step);
  const history: Record<string, unknown>[] = [{ round: 0, removed: 0, params: '', map: Number((100 * base).toFixed(2)) }];
  const spared = sparedLayers(sensitivity, drop);
  if (spared.length) ctx.log(`kept whole (one round alone costs more than the ${(100 * drop).toFixed(2)}-point budget): ${spared.join(', ')}`);
  const roundOpts = spared.length ? { ...opts, keep: new Set([...(opts.keep ?? []), ...spared]) } : opts;
  if (spared.length === sensitivity.length) {
    ctx.log('no layer can lose a round\'s channels within the budget: nothing pruned');
    return { model, details: { rounds: history, sensitivity, spared } };
  }
  let kept = model;
  for (let k = 1; k <= rounds; k++) {
    // another `step` of the original channels: as a share of what the last round left
    const fraction = 1 - (1 - k * step) / (1 - (k - 1) * step);
    const r = await pruneModel(kept, { ...roundOpts, amount: fraction, iteration: k - 1, iterations: rounds });
    const tuned = await finetuneModel(ctx, r.model, { epochs: p.finetune?.epochs ?? 1, lr: p.finetune?.lr, out: `${ctx.dir}/round-${k}` });
    const map = await mapOf(ctx, tuned.model);
    history.push({ round: k, removed: Number((k * step).toFixed(4)), params: r.after.params, map: Number((100 * map).toFixed(2)) });
    ctx.log(`round ${k}/${rounds}: ${(100 * k * step).toFixed(1)}% of channels removed, mAP ${(100 * map).toFixed(2)} (input ${(100 * base).toFixed(2)})`);
    if (base - map > drop) { ctx.log(`the drop passed ${(100 * drop).toFixed(2)} points: keeping round ${k - 1}`); break; }
    kept = tuned.model;
  }
  return { model: kept, details: { rounds: history, sensitivity, ...(spared.length && { spared }) } };
}

/**
 * The layers progressive pruning leaves whole: those whose one round alone, before any fine-tuning, costs more
 * mAP than the step's whole budget (`until map drop`). Pruning them would end the run at the first round (as a
 * micro-yolo's sensitive early backbone did: 2.4 points for 1/16 of one layer against a 0.5-point budget) and
 * spend a fine-tuning epoch finding that out; the others go on losing channels.
 */
export function sparedLayers(sensitivity: readonly Record<string, unknown>[], drop: number): string[] {
  return sensitivity.filter((r) => (r.map_drop_points as number) > 100 * drop).map((r) => r.layer as string);
}

/** Each layer pruned alone by one round's share, without fine-tuning: how much mAP each layer costs. */
async function sensitivities(ctx: RunContext, model: ModelProto, opts: PruneOptions, share: number): Promise<Record<string, unknown>[]> {
  const base = await mapOf(ctx, model, SENSITIVITY_IMAGES);
  const probe = await pruneModel(model, { ...opts, amount: share });
  const rows: Record<string, unknown>[] = [];
  for (const layer of probe.layers) {
    if (layer.after === layer.before) continue;
    const alone = await pruneModel(model, { ...opts, scope: new Set([layer.group]), amount: share });
    const map = await mapOf(ctx, alone.model, SENSITIVITY_IMAGES);
    rows.push({ layer: layer.group, channels: layer.before, pruned: layer.before - layer.after, map_drop_points: Number((100 * (base - map)).toFixed(2)) });
  }
  return rows.sort((a, b) => (b.map_drop_points as number) - (a.map_drop_points as number));
}
