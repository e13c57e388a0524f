// Removing channels: every tensor slice a group lists loses the indices of the removed channels (producers'
// filters and biases, BN parameters, consumers' input channels at their concat offsets, depthwise filters),
// and the nodes that count channels are fixed. Several groups are removed in one go, because they can share
// a tensor (a BN after a Concat, a consumer of a Concat): indices are collected per tensor axis first, and
// each tensor is sliced once. Groups must come from pruneGroups on this same graph, unedited since.
import type { Graph } from '../../onnx/graph.ts';
import { DEFAULT_OPSET } from '../../onnx/make.ts';
import { sliceTensor } from './tensor.ts';
import { FIXERS } from './fix-nodes.ts';
import { PruneError, type NodeFix, type PruneGroup } from './dependency/types.ts';

/** Which of a group's channels stay (indices into its channels, ascending). */
export interface Removal { group: PruneGroup; keep: readonly number[] }

export function removeChannels(g: Graph, group: PruneGroup, keep: readonly number[], opts: { opset?: number } = {}): void {
  pruneChannels(g, [{ group, keep }], opts);
}

function droppedOf({ group, keep }: Removal): number[] {
  if (!group.prunable) throw new PruneError(`group '${group.id}' cannot be pruned: ${group.reason}`);
  if (!keep.length) throw new PruneError(`group '${group.id}' would keep no channels`);
  keep.forEach((k, i) => {
    if (!Number.isInteger(k) || k < 0 || k >= group.channels || (i && k <= keep[i - 1]!)) {
      throw new PruneError(`group '${group.id}': channels to keep must be ascending indices below ${group.channels}`);
    }
  });
  const kept = new Set(keep);
  return Array.from({ length: group.channels }, (_, i) => i).filter((i) => !kept.has(i));
}

/** Adds the indices [at, at + length) ↔ channels [from, from + length) that are dropped. */
function mapDropped(into: Set<number>, dropped: readonly number[], s: { at: number; from: number; length: number }): void {
  for (const c of dropped) if (c >= s.from && c < s.from + s.length) into.add(s.at + c - s.from);
}

export function pruneChannels(g: Graph, removals: readonly Removal[], opts: { opset?: number } = {}): void {
  const tensors = new Map<string, Map<number, Set<number>>>();
  const nodes = new Map<string, { fix: NodeFix; dropped: Set<number> }>();
  for (const r of removals) {
    const dropped = droppedOf(r);
    if (!dropped.length) continue;
    for (const s of r.group.slices) {
      const axes = tensors.get(s.tensor) ?? tensors.set(s.tensor, new Map()).get(s.tensor)!;
      mapDropped(axes.get(s.axis) ?? axes.set(s.axis, new Set()).get(s.axis)!, dropped, s);
    }
    for (const f of r.group.fixes) mapDropped((nodes.get(f.node) ?? nodes.set(f.node, { fix: f, dropped: new Set() }).get(f.node)!).dropped, dropped, f);
    for (const v of r.group.values) g.valueInfo.delete(v);
  }
  for (const [name, axes] of tensors) {
    const t = g.initializers.get(name);
    if (!t) throw new PruneError(`'${name}' is not a weight of this graph: were the groups computed on another graph?`);
    const keep = new Map([...axes].map(([a, d]) => [a, Array.from({ length: Number(t.dims[a]) }, (_, i) => i).filter((i) => !d.has(i))]));
    g.initializers.set(name, sliceTensor(t, keep));
  }
  const replaced = [...nodes].flatMap(([name, f]) => {
    const node = g.node(name);
    if (!node) throw new PruneError(`node '${name}' is not in this graph: were the groups computed on another graph?`);
    return FIXERS[f.fix.kind](g, node, { ...f, opset: opts.opset ?? DEFAULT_OPSET });
  });
  for (const name of replaced) if (!g.consumers(name).length && !g.isGraphOutput(name)) g.initializers.delete(name);
}
