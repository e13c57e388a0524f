// Sqrt: dX = dY / (2·Y).
import type { GradRule } from '../types.ts';

export const Sqrt: GradRule = {
  op: 'Sqrt',
  grad(ctx) {
    const e = ctx.emit;
    return [e.op1('Div', [ctx.dy()!, e.op1('Mul', [ctx.node.output[0]!, e.scalar(2)])])];
  },
};
