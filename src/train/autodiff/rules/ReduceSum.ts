// ReduceSum (opset 13: axes as an input): the gradient is broadcast back over the reduced axes.
import { expandBack } from './ReduceMean.ts';
import type { GradRule } from '../types.ts';

export const ReduceSum: GradRule = {
  op: 'ReduceSum',
  grad(ctx) {
    const axes = ctx.node.input[1] ? ctx.constant(ctx.node.input[1]) : undefined;
    return [expandBack(ctx, axes)];
  },
};
