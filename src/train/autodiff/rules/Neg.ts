// Neg: dX = -dY.
import type { GradRule } from '../types.ts';

export const Neg: GradRule = {
  op: 'Neg',
  grad: (ctx) => [ctx.emit.op1('Neg', [ctx.dy()!])],
};
