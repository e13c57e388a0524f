// Shape rule for Resize: each dimension times its scale (floored), or the `sizes` input when given.
import type { ShapeRule } from '../types.ts';
import { fail, fmt, shapeOf } from '../common.ts';

/** Shared with Upsample, which follows the same rule. */
export const resizeLike = (op: string): ShapeRule => ({
  op,
  infer(ctx) {
    const x = shapeOf(ctx, 0);
    const elem = ctx.inputs[0]?.elem ?? 1;
    if (!x) return [{ elem }];
    // Resize-11+: X, roi, scales, sizes. Resize-10 and Upsample-9: X, scales. Upsample-7: a scales attribute.
    const scalesAt = ctx.node.opType === 'Resize' && ctx.opset >= 11 ? 2 : 1;
    const sizes = ctx.node.opType === 'Resize' && ctx.opset >= 11 ? ctx.constant(3) : undefined;
    const scales = ctx.constant(scalesAt) ?? ctx.attrs.floats('scales');
    // an input that is present, and not a constant empty tensor, is given
    const given = (i: number, v: number[] | undefined) => !!ctx.node.input[i] && !(v && !v.length);
    if (ctx.node.opType === 'Resize' && ctx.opset >= 11 && given(2, scales) === given(3, sizes)) fail(ctx, 'give either scales or sizes, not both and not neither');
    for (const v of [sizes, scales]) if (v?.length && v.length !== x.length) fail(ctx, `${fmt(v)} does not have one value per dimension of ${fmt(x)}`);
    if (sizes?.length) return [{ elem, shape: sizes }];
    if (!scales?.length) return [{ elem, shape: x.map(() => '?') }];
    return [{ elem, shape: x.map((d, i) => (typeof d === 'number' ? Math.floor(d * scales[i]!) : scales[i] === 1 ? d : '?')) }];
  },
});

export const rule = resizeLike('Resize');
