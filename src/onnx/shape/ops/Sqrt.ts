// Shape rule for Sqrt: Same shape and type as the input.
import type { ShapeRule } from '../types.ts';
import { same } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Sqrt',
  infer: (ctx) => [same(ctx)],
};
