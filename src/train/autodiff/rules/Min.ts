// Min of two tensors: the gradient goes to the smaller input (the first on a tie).
import { pick } from './Max.ts';
import type { GradRule } from '../types.ts';

export const Min: GradRule = {
  op: 'Min',
  grad: (ctx) => pick(ctx, 'LessOrEqual'),
};
