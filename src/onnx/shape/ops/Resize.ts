// Shape rule for Resize: each dimension times its scale (floored), or the `sizes` input when given.
import type { ShapeRule } from '../types.ts';
import { shapeOf } from '../common.ts';

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
    if (sizes?.length) return [{ elem, shape: sizes }];
    const scales = ctx.constant(scalesAt) ?? ctx.attrs.floats('scales');
    if (!scales?.length) return [{ elem, shape: x.map(() => '?') }];
    return [{ elem, shape: x.map((d, i) => (typeof d === 'number' ? Math.floor(d * scales[i]!) : scales[i] === 1 ? d : '?')) }];
  },
});

export const rule = resizeLike('Resize');
