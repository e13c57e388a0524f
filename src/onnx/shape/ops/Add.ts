// Shape rule for Add: Numpy broadcasting of A and B.
import type { ShapeRule } from '../types.ts';
import { broadcast, shapeOf } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Add',
  infer: (ctx) => [{ elem: ctx.inputs[0]?.elem ?? ctx.inputs[1]?.elem ?? 1, shape: broadcast(ctx, [shapeOf(ctx, 0), shapeOf(ctx, 1)]) }],
};
