// Tanh: dX = dY·(1 - Y²).
import type { GradRule } from '../types.ts';

export const Tanh: GradRule = {
  op: 'Tanh',
  grad(ctx) {
    const e = ctx.emit;
    const y = ctx.node.output[0]!;
    return [e.op1('Mul', [ctx.dy()!, e.op1('Sub', [e.scalar(1), e.op1('Mul', [y, y])])])];
  },
};
