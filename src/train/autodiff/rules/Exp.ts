// Exp: dX = dY·Y.
import type { GradRule } from '../types.ts';

export const Exp: GradRule = {
  op: 'Exp',
  grad: (ctx) => [ctx.emit.op1('Mul', [ctx.dy()!, ctx.node.output[0]!])],
};
