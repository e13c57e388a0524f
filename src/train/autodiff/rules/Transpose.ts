// Transpose: the gradient is transposed by the inverse permutation.
import type { GradRule } from '../types.ts';

export const Transpose: GradRule = {
  op: 'Transpose',
  grad(ctx) {
    const rank = ctx.shape(ctx.node.input[0]!).length;
    const perm = ctx.attrs.ints('perm') ?? Array.from({ length: rank }, (_, k) => rank - 1 - k);
    const inverse = perm.map((_, k) => perm.indexOf(k));
    return [ctx.emit.op1('Transpose', [ctx.dy()!], { perm: inverse })];
  },
};
