// Shape rule for Log: Same shape and type as the input.
import type { ShapeRule } from '../types.ts';
import { same } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Log',
  infer: (ctx) => [same(ctx)],
};
