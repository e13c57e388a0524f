// Shape rule for ReduceMean: axes as an attribute up to opset 17, as an input (ReduceSum's rule) from 18.
import type { ShapeRule } from '../types.ts';
import { reduced, rule as reduceSum } from './ReduceSum.ts';

export const rule: ShapeRule = {
  op: 'ReduceMean',
  infer: (ctx) => (ctx.opset >= 18 ? reduceSum.infer(ctx) : [reduced(ctx, ctx.attrs.ints('axes'))]),
};
