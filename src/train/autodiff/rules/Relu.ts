// Relu: the gradient passes where the input is positive.
import { where } from '../common.ts';
import type { GradRule } from '../types.ts';

export const Relu: GradRule = {
  op: 'Relu',
  grad: (ctx) => [where(ctx, ctx.emit.op1('Greater', [ctx.node.input[0]!, ctx.emit.scalar(0)]), ctx.dy()!)],
};
