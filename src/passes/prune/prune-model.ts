// pruneModel: one `prune` step on a model. The groups come from the dependency analysis, the groups in scope
// are scored by the criteria, allocation decides what each keeps, and the channels are removed in one go.
// The result is verified (shapes included); the input model is never modified (Graph.fromModel copies it,
// and pruned tensors are new tensors).
import type { ModelProto } from 'onnx-buf';
import { Graph } from '../../onnx/graph.ts';
import { defaultOpset } from '../../onnx/io.ts';
import { DEFAULT_OPSET } from '../../onnx/make.ts';
import { verify } from '../../onnx/verify.ts';
import { modelStats } from '../../onnx/stats.ts';
import { pruneGroups } from './dependency/groups.ts';
import { headFor } from '../../metrics/decode/head.ts';
import { PruneError } from './dependency/types.ts';
import { groupsInScope, type Amount, type NodeSet } from './allocate.ts';
import { pruneTo } from './prune-to.ts';
import { scoreContext, type ContextOptions } from './criteria/context.ts';
import { scoreGroups } from './criteria/combine.ts';
import type { Cost } from './cost.ts';
import type { Target } from '../../targets/target.ts';

export interface PruneOptions extends ContextOptions {
  /** Nodes whose groups are pruned (a group is in scope when one of its producer convs is). */
  scope: NodeSet;
  /** Criterion ids; several are combined (criteria/combine.ts). */
  criterion: readonly string[];
  amount: Amount;
  global?: boolean;
  round?: number;
  min?: number;
  keep?: NodeSet;
  /** The device a latency goal is predicted on. */
  target?: Target;
}

export interface PrunedLayer { group: string; before: number; after: number }
export interface PruneResult {
  model: ModelProto;
  /** Every group in scope, with its channel count before and after. */
  layers: PrunedLayer[];
  before: Cost;
  after: Cost;
  /** False when round, min and keep left too little to reach a flops, params or latency goal. */
  reached: boolean;
  /** A latency goal's predicted latency before and after, and the goal (ms). */
  latency?: { before: number; after: number; goal: number };
}

export async function pruneModel(model: ModelProto, opts: PruneOptions): Promise<PruneResult> {
  const opset = defaultOpset(model) ?? DEFAULT_OPSET;
  const g = Graph.fromModel(model);
  const groups = pruneGroups(g, { opset, head: headFor(model)?.convs });
  const scoped = groupsInScope(groups, opts.scope, opts.keep);
  const ctx = scoreContext(model, g, scoped, opset, opts);
  const scores = await scoreGroups(opts.criterion, scoped, ctx);
  const { g: pruned, plan } = pruneTo(model, scoped, scores, { ...opts, opset });
  const problems = verify(pruned, { opset });
  if (problems.length) throw new PruneError(`pruning made an invalid graph: ${problems.slice(0, 3).map((p) => p.message).join('; ')}`);
  const stats = modelStats(pruned, opset);
  return {
    model: pruned.toModel(model),
    layers: scoped.map((x) => ({ group: x.id, before: x.channels, after: plan.keep.get(x.id)!.length })),
    before: plan.before,
    after: { params: stats.params, macs: stats.macs },
    reached: plan.reached,
    ...(plan.latency && { latency: plan.latency }),
  };
}
