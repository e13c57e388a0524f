// Shape rule for Greater: a boolean of the inputs' broadcast shape.
import type { ShapeRule } from '../types.ts';
import { broadcast } from '../common.ts';

const BOOL = 9;

export const rule: ShapeRule = {
  op: 'Greater',
  infer: (ctx) => [{ elem: BOOL, shape: broadcast(ctx, [ctx.inputs[0]?.shape, ctx.inputs[1]?.shape]) }],
};
