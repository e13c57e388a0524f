// Shape rule for Cast: the input's shape in the type `to` names.
import type { ShapeRule } from '../types.ts';

export const rule: ShapeRule = {
  op: 'Cast',
  infer: (ctx) => [{ elem: ctx.attrs.int('to', ctx.inputs[0]?.elem ?? 1), shape: ctx.inputs[0]?.shape }],
};
