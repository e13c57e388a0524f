// Element-wise ops of several inputs, with broadcasting. Two feature maps (a residual Add, SiLU's
// x * Sigmoid(x), squeeze-excitation's x * scale) have their channels coupled one to one. A constant that
// broadcasts over the channels couples nothing; a per-channel constant ([1, C, 1, 1], PRelu's slope) is
// sliced with the channels. A single channel broadcast against many cannot be pruned (it must stay one).
import type { NodeProto } from 'onnx-buf';
import type { ChannelSlice } from '../types.ts';
import { width, type Layout, type OpRule, type Tracer } from '../tracer.ts';

const OPS = ['Add', 'And', 'Div', 'Equal', 'Greater', 'Less', 'Max', 'Mean', 'Min', 'Mul', 'Or', 'Pow', 'PRelu', 'Sub', 'Sum', 'Where'];

function binary(node: NodeProto, t: Tracer): void {
  const out = t.shape(node.output[0]);
  const maps = node.input.filter((v) => v && t.layout(v));
  if (!maps.length) return;
  const c = out?.[1];
  const all = (why: string) => node.input.forEach((v) => v && t.poisonLayout(t.layout(v), why));
  if (!out || typeof c !== 'number') return all(`the shape of '${node.name}' (${node.opType}) is unknown`);
  const params: { tensor: string; axis: number }[] = [];
  for (const v of node.input) {
    if (!v || t.layout(v)) continue;
    const s = t.shape(v);
    if (!s) return all(`'${node.name}' (${node.opType}) reads '${v}', whose shape is unknown`);
    const axis = 1 - (out.length - s.length);
    const extent = axis >= 0 ? s[axis] : 1;
    if (extent === 1) continue;
    if (extent === c && t.initializer(v)) params.push({ tensor: v, axis });
    else all(`'${node.name}' (${node.opType}) couples the channels with '${v}', which cannot be pruned`);
  }
  const layouts: Layout[] = [];
  for (const v of maps) {
    const l = t.layout(v!)!;
    if (width(l) === 1 && c > 1) t.poisonLayout(l, `'${node.name}' (${node.opType}) broadcasts one channel over ${c}`);
    else layouts.push(l);
  }
  const [first, ...rest] = layouts;
  if (!first) return;
  for (const l of rest) t.unify(first, l, node);
  for (const p of params) t.addSlices(first, p.tensor, p.axis, 'param' satisfies ChannelSlice['role'], node.name);
  t.set(node.output[0], first);
}

export const rules: Record<string, OpRule> = Object.fromEntries(OPS.map((op) => [op, binary]));
