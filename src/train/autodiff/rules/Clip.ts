// Clip (ReLU6, fake-quantization bounds): the gradient passes where min ≤ X ≤ max. The bounds are
// constants and get no gradient.
import type { GradRule } from '../types.ts';

export const Clip: GradRule = {
  op: 'Clip',
  grad(ctx) {
    const e = ctx.emit;
    const [x, lo, hi] = ctx.node.input;
    let pass: string | undefined;
    const and = (c: string) => (pass = pass ? e.op1('And', [pass, c]) : c);
    if (lo) and(e.op1('GreaterOrEqual', [x!, lo]));
    if (hi) and(e.op1('LessOrEqual', [x!, hi]));
    return [pass ? e.op1('Where', [pass, ctx.dy()!, e.scalar(0)]) : ctx.dy()];
  },
};
