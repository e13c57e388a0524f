// Shape rule for BatchNormalization: Y has X's shape; in training mode the running mean and variance outputs have C's shape.
import type { ShapeRule } from '../types.ts';
import { same } from '../common.ts';

export const rule: ShapeRule = {
  op: 'BatchNormalization',
  infer: (ctx) => [same(ctx), same(ctx, 3), same(ctx, 4)],
};
