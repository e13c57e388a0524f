// Split: the outputs' gradients are concatenated back, zeros standing in for outputs nothing used.
import type { GradRule } from '../types.ts';

export const Split: GradRule = {
  op: 'Split',
  grad(ctx) {
    const e = ctx.emit;
    const parts = ctx.node.output.map((o, k) => ctx.dy(k) ?? e.op1('ConstantOfShape', [e.ints(ctx.shape(o))]));
    return [e.op1('Concat', parts, { axis: ctx.attrs.int('axis', 0) })];
  },
};
