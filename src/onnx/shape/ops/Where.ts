// Shape rule for Where: the broadcast shape of condition, X and Y, with X's type.
import type { ShapeRule } from '../types.ts';
import { broadcast } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Where',
  infer: (ctx) => [{ elem: ctx.inputs[1]?.elem ?? ctx.inputs[2]?.elem ?? 1, shape: broadcast(ctx, ctx.inputs.map((t) => t?.shape)) }],
};
