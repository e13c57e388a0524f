// Mul: dA = dY·B, dB = dY·A, each summed over its broadcast axes. SiLU (x·sigmoid(x)) and squeeze-excitation
// scaling differentiate through this rule and Sigmoid's, their contributions summed.
import { unbroadcast } from '../common.ts';
import type { GradRule } from '../types.ts';

export const Mul: GradRule = {
  op: 'Mul',
  params: [0, 1],
  grad(ctx) {
    const dy = ctx.dy()!;
    const [a, b] = ctx.node.input as [string, string];
    const out = ctx.shape(ctx.node.output[0]!);
    const e = ctx.emit;
    return [
      ctx.wants(0) ? unbroadcast(ctx, e.op1('Mul', [dy, b]), out, ctx.shape(a)) : undefined,
      ctx.wants(1) ? unbroadcast(ctx, e.op1('Mul', [dy, a]), out, ctx.shape(b)) : undefined,
    ];
  },
};
