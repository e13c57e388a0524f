// Split and Slice. On the channel axis each output holds a range of the input's channels, so it gets that
// range of the layout, and the node is fixed after pruning (new split sizes, new start and end). On another
// axis the channels pass through. Computed sizes or bounds, and strided channel slices, are not followed.
import type { NodeProto } from 'onnx-buf';
import { Attrs } from '../../../../onnx/attrs.ts';
import { sliceBounds } from '../../../../onnx/shape/common.ts';
import { cut, width, type OpRule, type Tracer } from '../tracer.ts';

/** The sizes of a Split's outputs on an axis of length `total`: given, or equal parts as ONNX computes them. */
export function splitSizes(node: NodeProto, total: number, given: number[] | undefined): number[] {
  const n = node.output.length;
  const sizes = given ?? new Attrs(node).ints('split');
  if (sizes) return sizes;
  const part = Math.ceil(total / n);
  return Array.from({ length: n }, (_, i) => Math.min(part, Math.max(0, total - i * part)));
}

const rank = (t: Tracer, v: string) => t.shape(v)?.length;

function split(node: NodeProto, t: Tracer): void {
  const x = node.input[0]!;
  const input = t.layout(x);
  if (!input) return;
  const r = rank(t, x);
  const axis = new Attrs(node).int('axis', 0);
  if (r === undefined) return t.poisonLayout(input, `the rank of '${x}' is unknown`);
  if ((axis + r) % r !== 1) { for (const o of node.output) t.set(o, input); return; }
  const given = node.input[1] ? t.constant(node.input[1]) : undefined;
  if (node.input[1] && !given) return t.poisonLayout(input, `'${node.name}' (Split) has computed sizes`);
  let at = 0;
  splitSizes(node, width(input), given).forEach((n, i) => { t.set(node.output[i], cut(input, at, at + n)); at += n; });
  t.addFixes(input, node.name, 'split');
}

function slice(node: NodeProto, t: Tracer): void {
  const x = node.input[0]!;
  const input = t.layout(x);
  if (!input) return;
  t.poisonInputs(node, `'${node.name}' (Slice) has computed bounds`, [0]);
  const [starts, ends, axes, steps] = [1, 2, 3, 4].map((i) => (node.input[i] ? t.constant(node.input[i]) : undefined));
  const r = rank(t, x);
  if (!starts || !ends || (node.input[3] && !axes) || (node.input[4] && !steps) || r === undefined) {
    return t.poisonLayout(input, `'${node.name}' (Slice) has computed bounds, or an input of unknown rank`);
  }
  const k = (axes ?? starts.map((_, i) => i)).findIndex((a) => (a + r) % r === 1);
  if (k < 0) return t.set(node.output[0], input);
  if ((steps?.[k] ?? 1) !== 1) return t.poisonLayout(input, `'${node.name}' (Slice) takes every ${steps![k]}th channel`);
  const [s, e] = sliceBounds(starts[k]!, ends[k]!, 1, width(input));
  t.set(node.output[0], cut(input, s, Math.max(s, e)));
  t.addFixes(input, node.name, 'slice', k);
}

export const rules: Record<string, OpRule> = { Slice: slice, Split: split };
