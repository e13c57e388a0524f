// Unsqueeze: moves no element, so the gradient is reshaped back to the input's shape.
import { reshapeTo } from '../common.ts';
import type { GradRule } from '../types.ts';

export const Unsqueeze: GradRule = {
  op: 'Unsqueeze',
  grad: (ctx) => [reshapeTo(ctx, ctx.dy()!, ctx.node.input[0]!)],
};
