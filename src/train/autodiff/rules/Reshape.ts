// Reshape: the gradient is reshaped back to the input's shape. The shape input gets none.
import { reshapeTo } from '../common.ts';
import type { GradRule } from '../types.ts';

export const Reshape: GradRule = {
  op: 'Reshape',
  grad: (ctx) => [reshapeTo(ctx, ctx.dy()!, ctx.node.input[0]!)],
};
