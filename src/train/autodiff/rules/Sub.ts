// Sub: dA = dY, dB = -dY, each summed over its broadcast axes.
import { unbroadcast } from '../common.ts';
import type { GradRule } from '../types.ts';

export const Sub: GradRule = {
  op: 'Sub',
  params: [0, 1],
  grad(ctx) {
    const dy = ctx.dy()!;
    const [a, b] = ctx.node.input as [string, string];
    const out = ctx.shape(ctx.node.output[0]!);
    return [
      ctx.wants(0) ? unbroadcast(ctx, dy, out, ctx.shape(a)) : undefined,
      ctx.wants(1) ? unbroadcast(ctx, ctx.emit.op1('Neg', [dy]), out, ctx.shape(b)) : undefined,
    ];
  },
};
