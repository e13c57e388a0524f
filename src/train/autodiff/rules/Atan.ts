// Atan: dX = dY / (1 + X²). The CIoU loss compares box aspects through it.
import type { GradRule } from '../types.ts';

export const Atan: GradRule = {
  op: 'Atan',
  grad(ctx) {
    const e = ctx.emit;
    const x = ctx.node.input[0]!;
    return [e.op1('Div', [ctx.dy()!, e.op1('Add', [e.scalar(1), e.op1('Mul', [x, x])])])];
  },
};
