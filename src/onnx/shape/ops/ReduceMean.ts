// Shape rule for ReduceMean (opset ≤ 17: axes as an attribute).
import type { ShapeRule } from '../types.ts';
import { reduced } from './ReduceSum.ts';

export const rule: ShapeRule = {
  op: 'ReduceMean',
  infer: (ctx) => [reduced(ctx, ctx.attrs.ints('axes'))],
};
