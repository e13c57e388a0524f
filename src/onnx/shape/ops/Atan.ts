// Shape rule for Atan: Same shape and type as the input.
import type { ShapeRule } from '../types.ts';
import { same } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Atan',
  infer: (ctx) => [same(ctx)],
};
