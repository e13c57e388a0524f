// GlobalAveragePool: each input element gets its channel's gradient divided by H·W.
import type { GradRule } from '../types.ts';
import { numel } from '../common.ts';

export const GlobalAveragePool: GradRule = {
  op: 'GlobalAveragePool',
  grad(ctx) {
    const e = ctx.emit;
    const shape = ctx.shape(ctx.node.input[0]!);
    const spread = e.op1('Expand', [ctx.dy()!, e.ints(shape)]);
    return [e.op1('Mul', [spread, e.scalar(1 / numel(shape.slice(2)))])];
  },
};
