// Shape rule for Tanh: same shape and type as the input.
import type { ShapeRule } from '../types.ts';
import { same } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Tanh',
  infer: (ctx) => [same(ctx)],
};
