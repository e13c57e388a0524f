// pruneGroups: the dependency groups of a graph (Torch-Pruning's DepGraph, on ONNX). Every node is visited in
// topological order and its op's rule (ops/) moves channel layouts from inputs to outputs; graph outputs and
// ops without a rule make the groups they touch unprunable. The result lists, per group, everything that
// indexes its channels. Groups describe the graph as it is: after removing channels, analyse it again.
import type { Graph } from '../../../onnx/graph.ts';
import { DEFAULT_OPSET } from '../../../onnx/make.ts';
import { inferShapes } from '../../../onnx/shape/infer.ts';
import { Tracer } from './tracer.ts';
import { opRules } from './ops/registry.ts';
import { activationOf } from './activation.ts';
import type { PruneGroup } from './types.ts';

export interface GroupOptions {
  opset?: number;
  /** Output tensors of the detection head's output convolutions (its description's `convs`): their channels
   *  are the output format even where decoding ops follow that the rules would carry channels through. */
  head?: readonly string[];
}

export function pruneGroups(g: Graph, opts: GroupOptions = {}): PruneGroup[] {
  const opset = opts.opset ?? DEFAULT_OPSET;
  const t = new Tracer(g, inferShapes(g, opset).types, opset);
  for (const node of g.topologicalOrder()) {
    const rule = opRules.get(node.opType);
    if (rule) rule(node, t);
    else t.poisonInputs(node, `'${node.name}' (${node.opType}) reads the channels in a way lithe does not follow`);
  }
  for (const o of g.outputs) t.poisonLayout(t.layout(o.name), `'${o.name}' is a graph output: its channels are the output format`);
  for (const v of opts.head ?? []) t.poisonLayout(t.layout(v), `'${v}' is an output convolution of the detection head: its channels are the output format`);
  poisonShared(t);
  return resolve(t);
}

/** A sliced tensor must be read only by the node it was sliced for: a weight shared with another layer, or a
 * graph input or output, would change under that layer's feet. */
function poisonShared(t: Tracer): void {
  const readers = new Map<string, Set<string>>();
  for (const s of t.slices) (readers.get(s.tensor) ?? readers.set(s.tensor, new Set()).get(s.tensor)!).add(s.node);
  for (const [tensor, nodes] of readers) {
    const shared = nodes.size > 1 || t.g.consumers(tensor).length !== 1 || t.g.isGraphOutput(tensor) || t.g.inputs.some((i) => i.name === tensor);
    if (!shared) continue;
    for (const s of t.slices) if (s.tensor === tensor) t.poison(s.group, `'${tensor}' is shared by several nodes or is a graph input or output`);
  }
}

function resolve(t: Tracer): PruneGroup[] {
  const byRoot = new Map<number, PruneGroup>();
  t.born.forEach((b, raw) => {
    const root = t.find(raw);
    if (byRoot.has(root)) return;
    const reason = t.reason(root);
    byRoot.set(root, { id: t.born[root]!.node, channels: b.channels, producers: [], consumers: [], value: '', slices: [], fixes: [], values: [], prunable: !reason, ...(reason ? { reason } : {}) });
  });
  const of = (raw: number) => byRoot.get(t.find(raw))!;
  const strip = <T extends { group: number }>({ group: _, ...rest }: T) => rest;
  for (const p of t.producers) of(p.group).producers.push({ ...strip(p), value: activationOf(t.g, t.g.node(p.node)!) });
  for (const s of t.slices) of(s.group).slices.push(strip(s));
  for (const c of t.consumers) of(c.group).consumers.push(strip(c));
  for (const f of t.fixes) of(f.group).fixes.push(strip(f));
  for (const [value, layout] of t.entries()) {
    for (const r of new Set(layout.flatMap((s) => (s.group === null ? [] : [t.find(s.group)])))) byRoot.get(r)!.values.push(value);
  }
  for (const grp of byRoot.values()) grp.value = grp.producers[0]!.value;
  return [...byRoot.values()];
}
