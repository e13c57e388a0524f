// Shape rule for Gather: the data's shape with the axis replaced by the indices' shape.
import type { ShapeRule } from '../types.ts';
import { normAxis } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Gather',
  infer(ctx) {
    const [data, indices] = [ctx.inputs[0]?.shape, ctx.inputs[1]?.shape];
    const elem = ctx.inputs[0]?.elem ?? 1;
    if (!data || !indices) return [{ elem }];
    const axis = normAxis(ctx, ctx.attrs.int('axis', 0), data.length);
    return [{ elem, shape: [...data.slice(0, axis), ...indices, ...data.slice(axis + 1)] }];
  },
};
