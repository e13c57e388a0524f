// Shape rule for Squeeze: drops the given axes (an input from opset 13, an attribute before), or every 1.
import type { ShapeRule } from '../types.ts';
import { fail, normAxis, shapeOf } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Squeeze',
  infer(ctx) {
    const x = shapeOf(ctx, 0);
    const elem = ctx.inputs[0]?.elem ?? 1;
    if (!x) return [{ elem }];
    if (ctx.opset >= 13 && ctx.node.input[1] && !ctx.constant(1)) return [{ elem }]; // axes computed at run time
    const axes = (ctx.opset >= 13 ? ctx.constant(1) : ctx.attrs.ints('axes'))?.map((a) => normAxis(ctx, a, x.length));
    if (!axes) return [{ elem, shape: x.filter((d) => d !== 1) }];
    for (const a of axes) if (typeof x[a] === 'number' && x[a] !== 1) fail(ctx, `cannot squeeze axis ${a} of size ${x[a]}`);
    return [{ elem, shape: x.filter((_, i) => !axes.includes(i)) }];
  },
};
