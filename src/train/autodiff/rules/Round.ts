// Round: the straight-through estimator (the gradient passes as if Round were the identity), which makes
// fake quantization, Round(Clip(x/s)) · s (passes/quantize/qdq/fake.ts), trainable: with the Clip, Div and
// Mul rules, the scale gets the LSQ gradient. Finite differences of Round itself cannot check this rule (the
// autodiff test checks the identity); qat.test.ts checks it against those of Round with its offset frozen.
import type { GradRule } from '../types.ts';

export const Round: GradRule = {
  op: 'Round',
  grad: (ctx) => [ctx.dy()],
};
