// Shape rule for MaxPool: [N, C, spatial...] through kernel_shape, strides, pads, auto_pad and ceil_mode.
// (Darknet's stride-1 2x2 pool arrives as pads [0, 0, 1, 1], which keeps the size.)
import type { ShapeRule } from '../types.ts';
import { fail, shapeOf, spatial } from '../common.ts';
import { DataType } from '../../make.ts';

/** Shared with AveragePool, which follows the same rule. */
export const poolLike = (op: string): ShapeRule => ({
  op,
  infer(ctx) {
    const x = shapeOf(ctx, 0);
    if (!x) return [{ elem: ctx.inputs[0]?.elem ?? 1 }];
    const kernel = ctx.attrs.ints('kernel_shape') ?? fail(ctx, 'kernel_shape is required');
    const y = { elem: ctx.inputs[0]!.elem, shape: spatial(ctx, x, x[1]!, kernel) };
    return [y, { elem: DataType.INT64, shape: y.shape }]; // MaxPool's second output: the indices
  },
});

export const rule = poolLike('MaxPool');
