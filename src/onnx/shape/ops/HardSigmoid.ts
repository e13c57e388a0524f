// Shape rule for HardSigmoid: same shape and type as the input.
import type { ShapeRule } from '../types.ts';
import { same } from '../common.ts';

export const rule: ShapeRule = {
  op: 'HardSigmoid',
  infer: (ctx) => [same(ctx)],
};
