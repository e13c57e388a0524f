// After channels are removed, the nodes whose attributes or constant inputs count a feature map's channels
// are rewritten: a Split's sizes, a Slice's start and end on the channel axis, a depthwise conv's `group`.
// Each gets the input channel indices that were removed. New constants get fresh names (the old ones may be
// shared); the old ones are dropped when nothing reads them any more.
import type { NodeProto } from 'onnx-buf';
import type { Graph } from '../../onnx/graph.ts';
import { Attrs } from '../../onnx/attrs.ts';
import { attr, tensor } from '../../onnx/make.ts';
import { tensorValues } from '../../onnx/tensor.ts';
import { sliceBounds } from '../../onnx/shape/common.ts';
import { splitSizes } from './dependency/ops/split.ts';
import { PruneError, type NodeFix } from './dependency/types.ts';

export interface FixInput { fix: NodeFix; dropped: ReadonlySet<number>; opset: number }
type Fixer = (g: Graph, node: NodeProto, f: FixInput) => string[];

/** How many dropped indices lie below `x`. */
const below = (dropped: ReadonlySet<number>, x: number): number => [...dropped].filter((d) => d < x).length;

function constantInput(g: Graph, node: NodeProto, i: number): number[] | undefined {
  const t = node.input[i] ? g.initializers.get(node.input[i]!) : undefined;
  return t && tensorValues(t);
}

/** Sets input `i` to a new int64 constant; returns the name of the one it replaces (if any). */
function setInts(g: Graph, node: NodeProto, i: number, values: number[], what: string): string[] {
  const old = node.input[i];
  const name = g.freshName(`${node.name}.${what}`);
  g.initializers.set(name, tensor(name, [values.length], BigInt64Array.from(values.map(BigInt))));
  while (node.input.length <= i) node.input.push('');
  node.input[i] = name;
  g.touched();
  return old ? [old] : [];
}

const setAttr = (node: NodeProto, name: string, v: number | number[]) => {
  node.attribute = [...node.attribute.filter((a) => a.name !== name), attr(name, v)];
};

const split: Fixer = (g, node, { fix, dropped, opset }) => {
  let at = 0;
  const sizes = splitSizes(node, fix.channels, constantInput(g, node, 1)).map((n) => {
    const kept = n - below(dropped, at + n) + below(dropped, at);
    at += n;
    if (!kept) throw new PruneError(`pruning would leave an output of '${node.name}' (Split) with no channels`);
    return kept;
  });
  if (node.input[1] || opset >= 13) {
    node.attribute = node.attribute.filter((a) => a.name !== 'num_outputs' && a.name !== 'split');
    return setInts(g, node, 1, sizes, 'split');
  }
  setAttr(node, 'split', sizes);
  return [];
};

const slice: Fixer = (g, node, { fix, dropped }) => {
  const k = fix.entry!;
  const [starts, ends] = [constantInput(g, node, 1)!, constantInput(g, node, 2)!];
  const [s, e] = sliceBounds(starts[k]!, ends[k]!, 1, fix.channels);
  const [s2, e2] = [s - below(dropped, s), e - below(dropped, e)];
  if (e2 <= s2) throw new PruneError(`pruning would leave '${node.name}' (Slice) with no channels`);
  return [
    ...setInts(g, node, 1, starts.map((v, i) => (i === k ? s2 : v)), 'starts'),
    ...setInts(g, node, 2, ends.map((v, i) => (i === k ? e2 : v)), 'ends'),
  ];
};

const depthwise: Fixer = (_g, node, { fix, dropped }) => {
  setAttr(node, 'group', new Attrs(node).int('group', 1) - dropped.size);
  if (fix.channels - dropped.size < 1) throw new PruneError(`pruning would leave '${node.name}' with no channels`);
  return [];
};

export const FIXERS: Record<NodeFix['kind'], Fixer> = { depthwise, slice, split };
