// Shape rule for Conv: [N, M, spatial...] with M the weight's output channels and the kernel from W (or the
// kernel_shape attribute), through strides, pads, dilations and auto_pad.
import type { ShapeRule } from '../types.ts';
import { fail, fmt, shapeOf, spatial } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Conv',
  infer(ctx) {
    const x = shapeOf(ctx, 0);
    const w = shapeOf(ctx, 1);
    if (!x || !w) return [{ elem: ctx.inputs[0]?.elem ?? 1 }];
    const group = ctx.attrs.int('group', 1);
    if (typeof x[1] === 'number' && typeof w[1] === 'number' && x[1] !== w[1] * group) {
      fail(ctx, `input has ${x[1]} channels but the weight ${fmt(w)} with group ${group} expects ${w[1] * group}`);
    }
    const kernel = ctx.attrs.ints('kernel_shape') ?? (w.slice(2) as number[]);
    return [{ elem: ctx.inputs[0]!.elem, shape: spatial(ctx, x, w[0]!, kernel) }];
  },
};
