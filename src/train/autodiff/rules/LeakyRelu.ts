// LeakyRelu: dY where the input is positive, alpha·dY elsewhere.
import type { GradRule } from '../types.ts';

export const LeakyRelu: GradRule = {
  op: 'LeakyRelu',
  grad(ctx) {
    const e = ctx.emit;
    const dy = ctx.dy()!;
    const positive = e.op1('Greater', [ctx.node.input[0]!, e.scalar(0)]);
    return [e.op1('Where', [positive, dy, e.op1('Mul', [dy, e.scalar(ctx.attrs.float('alpha', 0.01))])])];
  },
};
