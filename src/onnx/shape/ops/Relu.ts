// Shape rule for Relu: Same shape and type as the input.
import type { ShapeRule } from '../types.ts';
import { same } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Relu',
  infer: (ctx) => [same(ctx)],
};
