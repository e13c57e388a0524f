// Softmax (opset 13: over one axis): dX = Y·(dY - Σ dY·Y), the sum along the axis.
import type { GradRule } from '../types.ts';

export const Softmax: GradRule = {
  op: 'Softmax',
  grad(ctx) {
    const e = ctx.emit;
    const y = ctx.node.output[0]!;
    const dy = ctx.dy()!;
    const sum = e.op1('ReduceSum', [e.op1('Mul', [dy, y]), e.ints([ctx.attrs.int('axis', -1)])], { keepdims: 1 });
    return [e.op1('Mul', [y, e.op1('Sub', [dy, sum])])];
  },
};
