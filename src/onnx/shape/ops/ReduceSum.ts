// Shape rule for ReduceSum (opset 13: axes as an input, an attribute before; ReduceMean's attribute form shares
// the rule):
// the reduced axes drop out, or stay as 1 with keepdims.
import type { ShapeContext, ShapeRule, ValueType } from '../types.ts';
import { normAxis } from '../common.ts';

export function reduced(ctx: ShapeContext, axes: number[] | undefined): ValueType {
  const x = ctx.inputs[0];
  if (!x?.shape) return { elem: x?.elem ?? 1 };
  const rank = x.shape.length;
  const noop = ctx.attrs.int('noop_with_empty_axes', 0) === 1;
  if (!axes?.length && noop) return x;
  const all = axes?.length ? axes.map((a) => normAxis(ctx, a, rank)) : x.shape.map((_, k) => k);
  const keep = ctx.attrs.int('keepdims', 1) === 1;
  return { elem: x.elem, shape: x.shape.flatMap((d, k) => (all.includes(k) ? (keep ? [1] : []) : [d])) };
}

export const rule: ShapeRule = {
  op: 'ReduceSum',
  infer(ctx) {
    if (ctx.opset < 13) return [reduced(ctx, ctx.attrs.ints('axes'))];
    if (ctx.node.input[1] && !ctx.constant(1)) return [{ elem: ctx.inputs[0]?.elem ?? 1 }];
    return [reduced(ctx, ctx.constant(1))];
  },
};
