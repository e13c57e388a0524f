// Shape rule for Unsqueeze: inserts 1s at the given axes of the output (an input from opset 13).
import type { ShapeRule, Dim } from '../types.ts';
import { fail, normAxis, shapeOf } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Unsqueeze',
  infer(ctx) {
    const x = shapeOf(ctx, 0);
    const elem = ctx.inputs[0]?.elem ?? 1;
    const axes = ctx.opset >= 13 ? ctx.constant(1) : ctx.attrs.ints('axes');
    if (!x || !axes) return [{ elem }];
    const rank = x.length + axes.length;
    const at = new Set(axes.map((a) => normAxis(ctx, a, rank)));
    if (at.size !== axes.length) fail(ctx, 'repeated axes');
    const out: Dim[] = [];
    let k = 0;
    for (let i = 0; i < rank; i++) out.push(at.has(i) ? 1 : x[k++]!);
    return [{ elem, shape: out }];
  },
};
