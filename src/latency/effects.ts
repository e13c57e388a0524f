// What each step of a plan does to the model's size and speed, predicted without running anything: pruning
// amounts applied to the graph's channel counts (which channels go is ranked by the filters' L1 norms, a
// data-free stand-in for the recipe's criterion: counts per layer, not accuracy, are what is predicted),
// replaced blocks built unfitted, BatchNormalization folded, precision changed. One effect per pass that
// changes the graph; the others (distill, finetune, eval, export) leave it as it is.
import type { ModelProto } from 'onnx-buf';
import { Graph } from '../onnx/graph.ts';
import { defaultOpset } from '../onnx/io.ts';
import { DEFAULT_OPSET } from '../onnx/make.ts';
import type { Plan, PlanStep } from '../plan/types.ts';
import type { SelectorJson } from '../plan/selector.ts';
import { selectNames } from '../run/scopes.ts';
import { headFor } from '../metrics/decode/head.ts';
import { pruneGroups } from '../passes/prune/dependency/groups.ts';
import { groupsInScope, type Amount } from '../passes/prune/allocate.ts';
import { pruneTo } from '../passes/prune/prune-to.ts';
import { scoreContext } from '../passes/prune/criteria/context.ts';
import { filterRows, l1Norms } from '../passes/prune/criteria/filters.ts';
import { byMean } from '../passes/prune/criteria/combine.ts';
import { replaceLayers, type ReplaceParams } from '../passes/replace/run.ts';
import { foldBatchNorms } from '../passes/fuse/fold.ts';
import type { Precision } from '../targets/target.ts';
import { loadTarget } from '../targets/load.ts';

/** The model as the plan has it after some steps: its graph, and the precision a quantize step set. */
export interface State { model: ModelProto; precision: Precision; notes: string[] }
type Effect = (s: State, step: PlanStep, plan: Plan) => State;

const opsetOf = (m: ModelProto) => defaultOpset(m) ?? DEFAULT_OPSET;

/** Each group's channels ranked by filter L1 norm over its mean: comparable across layers for global goals. */
function l1Scores(model: ModelProto, g: Graph, groups: ReturnType<typeof groupsInScope>): Map<string, Float32Array> {
  const ctx = scoreContext(model, g, groups, opsetOf(model));
  return new Map(groups.map((x) => [x.id, byMean(l1Norms(filterRows(x, ctx)))]));
}

export const prune: Effect = (s, step, plan) => {
  const p = step.params as { scope: string; amount: Amount; global?: boolean; round?: number; min?: number; keep?: SelectorJson; progressive?: unknown };
  const opset = opsetOf(s.model);
  const g = Graph.fromModel(s.model);
  const scope = selectNames(plan, { scope: p.scope }, s.model);
  const keep = p.keep ? selectNames(plan, p.keep, s.model) : undefined;
  const groups = groupsInScope(pruneGroups(g, { opset, head: headFor(s.model)?.convs }), scope, keep);
  const target = plan.target ? loadTarget(plan.target.name) : undefined;
  const { g: pruned, plan: a } = pruneTo(s.model, groups, l1Scores(s.model, g, groups), { amount: p.amount, scope, keep, global: p.global, round: p.round, min: p.min, opset, target });
  const notes = [
    ...(p.progressive ? ['progressive: predicted as if every round is kept (the most it may remove)'] : []),
    ...(a.latency ? [`latency goal ${a.latency.goal.toFixed(2)} ms on ${plan.target!.name}: channels chosen by time saved per unit of L1 norm`] : []),
    ...(a.reached ? [] : ['the goal is not reached: round, min and keep leave too little']),
  ];
  return { ...s, model: pruned.toModel(s.model), notes };
};

export const replace: Effect = (s, step, plan) => {
  const p = step.params as unknown as ReplaceParams;
  const auto = p.kernel === 'auto';
  const r = replaceLayers(s.model, selectNames(plan, { scope: p.scope }, s.model), { ...p, kernel: auto ? undefined : p.kernel });
  return { ...s, model: r.model, notes: [`${r.layers.length} layers become ${p.block} blocks${auto ? ' (kernel auto: predicted at each layer\'s own size)' : ''}`] };
};

export const quantize: Effect = (s, step) => ({ ...s, precision: step.params.precision as Precision, notes: [] });

export const fuse: Effect = (s) => {
  const g = Graph.fromModel(s.model);
  const folded = foldBatchNorms(g);
  return { ...s, model: g.toModel(s.model), notes: [`${folded.length} BatchNormalization folded`] };
};

/** The passes that change what is predicted, by name; a pass not here leaves the model as it is. */
export const EFFECTS: Readonly<Record<string, Effect>> = { fuse, prune, quantize, replace };
