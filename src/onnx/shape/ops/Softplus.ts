// Shape rule for Softplus: same shape and type as the input.
import type { ShapeRule } from '../types.ts';
import { same } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Softplus',
  infer: (ctx) => [same(ctx)],
};
