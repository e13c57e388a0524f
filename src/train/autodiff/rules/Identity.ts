// Identity: the gradient passes unchanged.
import type { GradRule } from '../types.ts';

export const Identity: GradRule = {
  op: 'Identity',
  grad: (ctx) => [ctx.dy()],
};
