// Shape rule for Min: Numpy broadcasting of all inputs.
import type { ShapeRule } from '../types.ts';
import { broadcast } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Min',
  infer: (ctx) => [{ elem: ctx.inputs[0]?.elem ?? 1, shape: broadcast(ctx, ctx.inputs.map((t) => t?.shape)) }],
};
