// Shape rule for Gemm: [M, N] from A (MxK, or KxM with transA) and B (KxN, or NxK with transB).
import type { ShapeRule } from '../types.ts';
import { fail, fmt, shapeOf } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Gemm',
  infer(ctx) {
    const a = shapeOf(ctx, 0);
    const b = shapeOf(ctx, 1);
    const elem = ctx.inputs[0]?.elem ?? 1;
    if (!a || !b) return [{ elem }];
    const [m, ka] = ctx.attrs.int('transA', 0) ? [a[1]!, a[0]!] : [a[0]!, a[1]!];
    const [kb, n] = ctx.attrs.int('transB', 0) ? [b[1]!, b[0]!] : [b[0]!, b[1]!];
    if (typeof ka === 'number' && typeof kb === 'number' && ka !== kb) fail(ctx, `inner dimensions differ: ${fmt(a)} x ${fmt(b)}`);
    return [{ elem, shape: [m, n] }];
  },
};
