// Log: dX = dY / X.
import type { GradRule } from '../types.ts';

export const Log: GradRule = {
  op: 'Log',
  grad: (ctx) => [ctx.emit.op1('Div', [ctx.dy()!, ctx.node.input[0]!])],
};
