// Shape rule for Clip: Same shape and type as the input (min and max are scalars).
import type { ShapeRule } from '../types.ts';
import { same } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Clip',
  infer: (ctx) => [same(ctx)],
};
