// HardSwish, X·HardSigmoid(X) with alpha 1/6 and beta 1/2: dX = dY·(2X + 3)/6 for -3 < X < 3, dY above.
import type { GradRule } from '../types.ts';

export const HardSwish: GradRule = {
  op: 'HardSwish',
  grad(ctx) {
    const e = ctx.emit;
    const x = ctx.node.input[0]!;
    const dy = ctx.dy()!;
    const slope = e.op1('Add', [e.op1('Mul', [x, e.scalar(1 / 3)]), e.scalar(0.5)]);
    const middle = e.op1('Where', [e.op1('Greater', [x, e.scalar(-3)]), e.op1('Mul', [dy, slope]), e.scalar(0)]);
    return [e.op1('Where', [e.op1('GreaterOrEqual', [x, e.scalar(3)]), dy, middle])];
  },
};
