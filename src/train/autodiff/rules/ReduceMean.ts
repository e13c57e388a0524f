// ReduceMean (opset ≤ 17: axes as an attribute): the gradient is broadcast back over the reduced axes and
// divided by the number of elements each mean took.
import { numel } from '../common.ts';
import { AutodiffError, type GradContext, type GradRule } from '../types.ts';

/** dY expanded to the input's shape; `axes` undefined means every axis (or none, with noop_with_empty_axes). */
export function expandBack(ctx: GradContext, axes: number[] | undefined): string {
  const e = ctx.emit;
  const x = ctx.node.input[0]!;
  const shape = ctx.shape(x);
  if (ctx.node.input[1] && !axes) throw new AutodiffError(`node '${ctx.node.name}' (${ctx.node.opType}): its axes must be constants for training`);
  if (!axes?.length && ctx.attrs.int('noop_with_empty_axes', 0)) return ctx.dy()!;
  const all = axes?.length ? axes.map((a) => (a < 0 ? a + shape.length : a)) : shape.map((_, k) => k);
  const kept = ctx.attrs.int('keepdims', 1) ? ctx.dy()! : e.op1('Reshape', [ctx.dy()!, e.ints(shape.map((d, k) => (all.includes(k) ? 1 : d)))]);
  return e.op1('Expand', [kept, e.ints(shape)]);
}

export const ReduceMean: GradRule = {
  op: 'ReduceMean',
  grad(ctx) {
    const axes = ctx.attrs.ints('axes');
    const shape = ctx.shape(ctx.node.input[0]!);
    const count = axes?.length ? numel(axes.map((a) => shape[a < 0 ? a + shape.length : a]!)) : numel(shape);
    return [ctx.emit.op1('Mul', [expandBack(ctx, axes), ctx.emit.scalar(1 / count)])];
  },
};
