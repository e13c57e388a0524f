// Add: the gradient passes to both inputs, summed over the axes each was broadcast along.
import { unbroadcast } from '../common.ts';
import type { GradRule } from '../types.ts';

export const Add: GradRule = {
  op: 'Add',
  params: [0, 1],
  grad(ctx) {
    const dy = ctx.dy()!;
    const out = ctx.shape(ctx.node.output[0]!);
    return ctx.node.input.map((x, i) => (ctx.wants(i) ? unbroadcast(ctx, dy, out, ctx.shape(x)) : undefined));
  },
};
