// Shape rule for Split: sizes from the `split` input (opset 13+) or attribute, else equal parts.
import type { ShapeRule, ValueType } from '../types.ts';
import { fail, normAxis, shapeOf } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Split',
  infer(ctx) {
    const x = shapeOf(ctx, 0);
    const n = ctx.node.output.length;
    const elem = ctx.inputs[0]?.elem ?? 1;
    if (!x) return Array.from({ length: n }, (): ValueType => ({ elem }));
    const axis = normAxis(ctx, ctx.attrs.int('axis', 0), x.length);
    const total = x[axis]!;
    const computed = !!ctx.node.input[1] && !ctx.constant(1); // sizes known only at run time
    const sizes = computed ? undefined : ctx.constant(1) ?? ctx.attrs.ints('split')
      ?? (typeof total === 'number' ? Array.from({ length: n }, (_, i) => Math.ceil(total / n) - (i === n - 1 ? Math.ceil(total / n) * n - total : 0)) : undefined);
    if (sizes && typeof total === 'number' && sizes.reduce((a, b) => a + b, 0) !== total) fail(ctx, `split sizes ${sizes.join('+')} do not add up to ${total}`);
    return Array.from({ length: n }, (_, i) => ({ elem, shape: x.map((d, k) => (k === axis ? sizes?.[i] ?? '?' : d)) }));
  },
};
