// Shape rule for MatMul: numpy matmul, with the batch dimensions broadcast and 1-D operands promoted.
import type { ShapeRule, Dim } from '../types.ts';
import { broadcast, fail, fmt, shapeOf } from '../common.ts';

export const rule: ShapeRule = {
  op: 'MatMul',
  infer(ctx) {
    const a0 = shapeOf(ctx, 0);
    const b0 = shapeOf(ctx, 1);
    const elem = ctx.inputs[0]?.elem ?? 1;
    if (!a0 || !b0) return [{ elem }];
    const a: Dim[] = a0.length === 1 ? [1, a0[0]!] : a0;
    const b: Dim[] = b0.length === 1 ? [b0[0]!, 1] : b0;
    const ka = a[a.length - 1]!;
    const kb = b[b.length - 2]!;
    if (typeof ka === 'number' && typeof kb === 'number' && ka !== kb) fail(ctx, `inner dimensions differ: ${fmt(a0)} x ${fmt(b0)}`);
    const batch = broadcast(ctx, [a.slice(0, -2), b.slice(0, -2)])!;
    const out: Dim[] = [...batch, ...(a0.length === 1 ? [] : [a[a.length - 2]!]), ...(b0.length === 1 ? [] : [b[b.length - 1]!])];
    return [{ elem, shape: out }];
  },
};
