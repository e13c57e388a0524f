// Shape rule for ConvTranspose: out = stride*(in-1) + output_padding + ((k-1)*dilation+1) - pads, or
// `output_shape` when given; channels = W's second dimension times group.
import type { ShapeRule, Dim } from '../types.ts';
import { shapeOf } from '../common.ts';

export const rule: ShapeRule = {
  op: 'ConvTranspose',
  infer(ctx) {
    const x = shapeOf(ctx, 0);
    const w = shapeOf(ctx, 1);
    if (!x || !w) return [{ elem: ctx.inputs[0]?.elem ?? 1 }];
    const r = x.length - 2;
    const group = ctx.attrs.int('group', 1);
    const channels: Dim = typeof w[1] === 'number' ? w[1] * group : '?';
    const given = ctx.attrs.ints('output_shape');
    if (given) return [{ elem: ctx.inputs[0]!.elem, shape: [x[0]!, channels, ...given.slice(-r)] }];
    const k = ctx.attrs.ints('kernel_shape') ?? (w.slice(2) as number[]);
    const s = ctx.attrs.ints('strides') ?? Array<number>(r).fill(1);
    const d = ctx.attrs.ints('dilations') ?? Array<number>(r).fill(1);
    const p = ctx.attrs.ints('pads') ?? Array<number>(2 * r).fill(0);
    const op = ctx.attrs.ints('output_padding') ?? Array<number>(r).fill(0);
    const same = ['SAME_UPPER', 'SAME_LOWER'].includes(ctx.attrs.string('auto_pad', 'NOTSET'));
    const out = x.slice(2).map((n, i) => (typeof n !== 'number' ? '?' : same ? n * s[i]! // the spec's SAME: input x stride
      : s[i]! * (n - 1) + op[i]! + (k[i]! - 1) * d[i]! + 1 - p[i]! - p[i + r]!));
    return [{ elem: ctx.inputs[0]!.elem, shape: [x[0]!, channels, ...out] }];
  },
};
