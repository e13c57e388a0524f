// Shape rule for Sign: Same shape and type as the input.
import type { ShapeRule } from '../types.ts';
import { same } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Sign',
  infer: (ctx) => [same(ctx)],
};
