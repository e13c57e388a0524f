// Round: the straight-through estimator (the gradient passes as if Round were the identity), which makes
// fake quantization, (Clip(Round(x/s)) · s), trainable: with the Div and Mul rules, the scale gets the LSQ
// gradient. Finite differences cannot check this rule; the test checks the identity.
import type { GradRule } from '../types.ts';

export const Round: GradRule = {
  op: 'Round',
  grad: (ctx) => [ctx.dy()],
};
