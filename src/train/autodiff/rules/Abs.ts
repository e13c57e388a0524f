// Abs: dX = dY·sign(X) (0 at 0, as PyTorch).
import type { GradRule } from '../types.ts';

export const Abs: GradRule = {
  op: 'Abs',
  grad: (ctx) => [ctx.emit.op1('Mul', [ctx.dy()!, ctx.emit.op1('Sign', [ctx.node.input[0]!])])],
};
