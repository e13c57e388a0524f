// Where(cond, A, B): the gradient goes to A where cond holds and to B elsewhere; cond gets none.
import { unbroadcast } from '../common.ts';
import type { GradRule } from '../types.ts';

export const Where: GradRule = {
  op: 'Where',
  grad(ctx) {
    const e = ctx.emit;
    const [c, a, b] = ctx.node.input as [string, string, string];
    const dy = ctx.dy()!;
    const out = ctx.shape(ctx.node.output[0]!);
    return [
      undefined,
      ctx.wants(1) ? unbroadcast(ctx, e.op1('Where', [c, dy, e.scalar(0)]), out, ctx.shape(a)) : undefined,
      ctx.wants(2) ? unbroadcast(ctx, e.op1('Where', [c, e.scalar(0), dy]), out, ctx.shape(b)) : undefined,
    ];
  },
};
