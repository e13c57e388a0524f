// Shape rule for Pow: Numpy broadcasting of X and Y; the result has X's type (Ultralytics' decoding squares
// its sizes with Pow).
import type { ShapeRule } from '../types.ts';
import { broadcast, shapeOf } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Pow',
  infer: (ctx) => [{ elem: ctx.inputs[0]?.elem ?? 1, shape: broadcast(ctx, [shapeOf(ctx, 0), shapeOf(ctx, 1)]) }],
};
