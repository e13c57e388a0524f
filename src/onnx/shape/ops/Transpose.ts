// Shape rule for Transpose: the dimensions in `perm` order (reversed by default).
import type { ShapeRule } from '../types.ts';
import { fail, fmt, shapeOf } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Transpose',
  infer(ctx) {
    const x = shapeOf(ctx, 0);
    const elem = ctx.inputs[0]?.elem ?? 1;
    if (!x) return [{ elem }];
    const perm = ctx.attrs.ints('perm') ?? x.map((_, i) => x.length - 1 - i);
    if (perm.length !== x.length || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) fail(ctx, `perm ${fmt(perm)} is not a permutation of the ${x.length} axes of ${fmt(x)}`);
    return [{ elem, shape: perm.map((p) => x[p]!) }];
  },
};
