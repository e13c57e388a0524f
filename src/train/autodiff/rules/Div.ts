// Div: dA = dY / B, dB = -dY·Y / B (Y = A / B already computed), each summed over its broadcast axes.
import { unbroadcast } from '../common.ts';
import type { GradRule } from '../types.ts';

export const Div: GradRule = {
  op: 'Div',
  params: [0, 1],
  grad(ctx) {
    const dy = ctx.dy()!;
    const [a, b] = ctx.node.input as [string, string];
    const y = ctx.node.output[0]!;
    const out = ctx.shape(y);
    const e = ctx.emit;
    const da = () => e.op1('Div', [dy, b]);
    const db = () => e.op1('Neg', [e.op1('Div', [e.op1('Mul', [dy, y]), b])]);
    return [
      ctx.wants(0) ? unbroadcast(ctx, da(), out, ctx.shape(a)) : undefined,
      ctx.wants(1) ? unbroadcast(ctx, db(), out, ctx.shape(b)) : undefined,
    ];
  },
};
