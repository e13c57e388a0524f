// Allocation and removal in one: the channels `allocate` keeps are removed from a copy of the model's graph.
// A latency goal is then checked on the pruned graph with the whole latency model (latency-cost.ts scales
// kernels by channel shares, close but not exact): while the prediction misses the goal, the goal is
// tightened by the miss and the allocation made again, at most three times; within 1% counts as met.
import type { ModelProto } from 'onnx-buf';
import { Graph } from '../../onnx/graph.ts';
import { predictGraph } from '../../latency/predict.ts';
import { allocate, type AllocateOptions, type Allocation } from './allocate.ts';
import { pruneChannels } from './apply.ts';
import type { PruneGroup } from './dependency/types.ts';

const TRIES = 3;
/** A prediction within 1% of the goal meets it: the latency model is no closer to the device than that. */
const SLACK = 1.01;

export function pruneTo(model: ModelProto, groups: readonly PruneGroup[], scores: ReadonlyMap<string, Float32Array>, opts: AllocateOptions & { opset: number }): { g: Graph; plan: Allocation } {
  const byId = new Map(groups.map((x) => [x.id, x]));
  let amount = opts.amount;
  let asked: NonNullable<Allocation['latency']> | undefined; // the goal as the recipe set it
  for (let i = 0; ; i++) {
    const g = Graph.fromModel(model);
    const plan = allocate(g, groups, scores, { ...opts, amount });
    pruneChannels(g, [...plan.keep].map(([id, keep]) => ({ group: byId.get(id)!, keep })), { opset: opts.opset });
    if (!plan.latency || !opts.target) return { g, plan };
    asked ??= plan.latency;
    const after = predictGraph(g, opts.opset, opts.target).ms;
    plan.latency = { before: asked.before, goal: asked.goal, after };
    plan.reached &&= after <= asked.goal * SLACK;
    if (plan.reached || i + 1 >= TRIES) return { g, plan };
    const aimed = typeof amount === 'object' && 'latency_ms' in amount ? amount.latency_ms : asked.goal;
    amount = { latency_ms: aimed * (asked.goal / after) };
  }
}
