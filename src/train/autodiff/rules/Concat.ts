// Concat: the gradient is split back into the inputs' sizes along the axis.
import type { GradRule } from '../types.ts';

export const Concat: GradRule = {
  op: 'Concat',
  grad(ctx) {
    const ins = ctx.node.input;
    const rank = ctx.shape(ins[0]!).length;
    const a = ctx.attrs.int('axis', 0);
    const axis = a < 0 ? a + rank : a;
    const sizes = ins.map((x) => ctx.shape(x)[axis]!);
    const parts = ctx.emit.op('Split', [ctx.dy()!, ctx.emit.ints(sizes)], { axis }, ins.length);
    return parts.map((p, i) => (ctx.wants(i) ? p : undefined));
  },
};
