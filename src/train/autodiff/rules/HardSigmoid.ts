// HardSigmoid, max(0, min(1, alpha·X + beta)): dX = alpha·dY where 0 < alpha·X + beta < 1. Hardswish is
// built as X·HardSigmoid(X), so it differentiates through this rule and Mul's.
import type { GradRule } from '../types.ts';

export const HardSigmoid: GradRule = {
  op: 'HardSigmoid',
  grad(ctx) {
    const e = ctx.emit;
    const alpha = ctx.attrs.float('alpha', 0.2);
    const beta = ctx.attrs.float('beta', 0.5);
    const z = e.op1('Add', [e.op1('Mul', [ctx.node.input[0]!, e.scalar(alpha)]), e.scalar(beta)]);
    const inside = e.op1('And', [e.op1('Greater', [z, e.scalar(0)]), e.op1('Less', [z, e.scalar(1)])]);
    return [e.op1('Where', [inside, e.op1('Mul', [ctx.dy()!, e.scalar(alpha)]), e.scalar(0)])];
  },
};
