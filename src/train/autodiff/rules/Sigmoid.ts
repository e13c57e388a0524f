// Sigmoid: dX = dY·Y·(1 - Y), from the output, so nothing is recomputed.
import type { GradRule } from '../types.ts';

export const Sigmoid: GradRule = {
  op: 'Sigmoid',
  grad(ctx) {
    const e = ctx.emit;
    const y = ctx.node.output[0]!;
    return [e.op1('Mul', [ctx.dy()!, e.op1('Mul', [y, e.op1('Sub', [e.scalar(1), y])])])];
  },
};
