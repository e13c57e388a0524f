// How many channels each group keeps, and which: the lowest-scored go.
//   - a fraction, per layer: each group in scope loses that share of its channels (rounded as allowed);
//   - a fraction, `global`: channels of all groups in scope are ranked together, and the lowest go until
//     that share of all their channels is gone;
//   - `flops F`: the same global ranking, until F of the model's MACs are gone;
//   - `params N`: the same, until the model has N times fewer parameters;
//   - `latency N` / `latency_ms T`: on the target's latency model (latency-cost.ts), the group whose next block
//     saves the most predicted time per unit of score gives it up, until the predicted latency is N times
//     lower or at most T ms.
// The global ranking raises a threshold over the scores (so scores must compare across groups: see
// criteria/combine.ts); with `round R` a group gives up R channels at a time (kept counts stay multiples of
// R), with `min M` it keeps at least M; MACs and parameters are counted exactly as channels go (cost.ts).
import type { NodeProto } from 'onnx-buf';
import type { Graph } from '../../onnx/graph.ts';
import { DEFAULT_OPSET } from '../../onnx/make.ts';
import { CostModel, type Cost } from './cost.ts';
import type { PruneGroup } from './dependency/types.ts';
import { PruneError } from './dependency/types.ts';
import { LatencyCost } from './latency-cost.ts';
import type { Target } from '../../targets/target.ts';

export type Amount = number | { flops: number } | { params: number } | { latency: number } | { latency_ms: number };
/** Nodes, by node or by name (a scope selected on another Graph of the same model works). */
export type NodeSet = ReadonlySet<NodeProto | string>;

export interface AllocateOptions {
  amount: Amount;
  /** Groups whose producer conv is in `scope` are pruned, unless one is in `keep`. */
  scope: NodeSet;
  keep?: NodeSet;
  global?: boolean;
  round?: number;
  min?: number;
  opset?: number;
  /** The device whose latency model a latency goal is predicted on. */
  target?: Target;
}

export interface Allocation {
  /** For each group in scope, the channels it keeps (ascending). */
  keep: Map<string, number[]>;
  before: Cost;
  after: Cost;
  /** False when round, min and keep leave too little to reach the amount. */
  reached: boolean;
  /** For a latency goal: the predicted latency before and after, and the goal, in ms. */
  latency?: { before: number; after: number; goal: number };
}

const names = (s: NodeSet | undefined) => new Set([...(s ?? [])].map((n) => (typeof n === 'string' ? n : n.name)));

/** The prunable groups with a producer in `scope` and none in `keep`. */
export function groupsInScope(groups: readonly PruneGroup[], scope: NodeSet, keep?: NodeSet): PruneGroup[] {
  const [inScope, kept] = [names(scope), names(keep)];
  return groups.filter((g) => g.prunable && g.producers.some((p) => inScope.has(p.node)) && !g.producers.some((p) => kept.has(p.node)));
}

/** Kept counts a group may have: multiples of `round`, at least `min`, or all of them. */
function allowed(channels: number, round: number, min: number): number[] {
  const out: number[] = [];
  for (let k = Math.max(1, min); k < channels; k++) if (k % round === 0) out.push(k);
  return [...out, channels];
}

/** The allowed count nearest to `target`; ties go to the larger. */
const nearest = (counts: number[], target: number) => counts.reduce((best, k) => (Math.abs(k - target) <= Math.abs(best - target) ? k : best), counts[0]!);

/** A group during allocation: its channels by ascending score, and the allowed counts, `counts[at]` kept. */
interface State { group: PruneGroup; scores: Float32Array; order: number[]; counts: number[]; at: number }
const keptOf = (st: State) => st.counts[st.at]!;

export function allocate(g: Graph, groups: readonly PruneGroup[], scores: ReadonlyMap<string, Float32Array>, opts: AllocateOptions): Allocation {
  const { amount, round = 1, min = 1 } = opts;
  const states: State[] = groupsInScope(groups, opts.scope, opts.keep).map((group) => {
    const s = scores.get(group.id);
    if (!s || s.length !== group.channels) throw new PruneError(`no scores for the ${group.channels} channels of group '${group.id}'`);
    const order = Array.from(s.keys()).sort((a, b) => s[a]! - s[b]! || a - b);
    const counts = allowed(group.channels, round, min);
    return { group, scores: s, order, counts, at: counts.length - 1 };
  });
  const cost = new CostModel(g, opts.opset ?? DEFAULT_OPSET, states.map((s) => s.group));
  const before = { params: cost.params, macs: cost.macs };
  /** Down to `counts[at]` channels. */
  const drop = (st: State, at: number) => {
    for (const c of st.order.slice(st.group.channels - keptOf(st), st.group.channels - st.counts[at]!)) cost.remove(st.group, c);
    st.at = at;
  };
  let reached = true;
  let latency: Allocation['latency'];
  if (typeof amount === 'object' && ('latency' in amount || 'latency_ms' in amount)) {
    if (!opts.target) throw new PruneError('a latency goal is predicted on the recipe\'s target: add `target NAME` (one whose profile has a latency model)');
    const lat = new LatencyCost(g, opts.opset ?? DEFAULT_OPSET, states.map((s) => s.group), opts.target);
    const goal = 'latency' in amount ? lat.ms / amount.latency : amount.latency_ms;
    const start = lat.ms;
    reached = timeForScore(states, lat, goal, drop);
    latency = { before: start, after: lat.ms, goal };
  } else if (typeof amount === 'number' && !opts.global) {
    for (const st of states) drop(st, st.counts.indexOf(nearest(st.counts, st.group.channels * (1 - amount))));
  } else {
    const total = states.reduce((a, st) => a + st.group.channels, 0);
    const done: () => boolean = typeof amount === 'number'
      ? () => states.reduce((a, st) => a + st.group.channels - keptOf(st), 0) >= amount * total
      : 'flops' in amount ? () => cost.macs <= before.macs * (1 - amount.flops) : () => cost.params <= before.params / amount.params;
    reached = raiseThreshold(states, done, drop);
  }
  const keep = new Map(states.map((st) => [st.group.id, st.order.slice(st.group.channels - keptOf(st)).sort((a, b) => a - b)]));
  return { keep, before, after: { params: cost.params, macs: cost.macs }, reached, ...(latency && { latency }) };
}

/** Latency goal: the group whose next block of channels saves the most predicted time per unit of score
 *  gives it up, until the predicted latency is at most `goal` ms. */
function timeForScore(states: State[], lat: LatencyCost, goal: number, drop: (st: State, k: number) => void): boolean {
  while (lat.ms > goal) {
    let best: { st: State; value: number } | undefined;
    for (const st of states) {
      if (!st.at) continue;
      const next = st.counts[st.at - 1]!;
      const saved = lat.ms - lat.at(st.group, next);
      const gone = st.order.slice(st.group.channels - keptOf(st), st.group.channels - next);
      const score = gone.reduce((a, c) => a + Math.max(0, st.scores[c]!), 0);
      const value = saved / Math.max(score, 1e-9);
      if (saved > 0 && (!best || value > best.value)) best = { st, value };
    }
    if (!best) return false;
    drop(best.st, best.st.at - 1);
    lat.set(best.st.group, keptOf(best.st));
  }
  return true;
}

/** Global ranking: the group whose next block of channels scores lowest gives it up, until `done`. */
function raiseThreshold(states: State[], done: () => boolean, drop: (st: State, k: number) => void): boolean {
  for (;;) {
    if (done()) return true;
    let best: { st: State; score: number } | undefined;
    for (const st of states) {
      if (!st.at) continue;
      // the block's highest score: the threshold must pass it for the whole block to go
      const score = st.scores[st.order[st.group.channels - st.counts[st.at - 1]! - 1]!]!;
      if (!best || score < best.score) best = { st, score };
    }
    if (!best) return false;
    drop(best.st, best.st.at - 1);
  }
}
