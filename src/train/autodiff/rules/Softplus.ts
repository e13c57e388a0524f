// Softplus, log(1 + eˣ): dX = dY·sigmoid(X). With Tanh and Mul it differentiates darknet's mish.
import type { GradRule } from '../types.ts';

export const Softplus: GradRule = {
  op: 'Softplus',
  grad: (ctx) => [ctx.emit.op1('Mul', [ctx.dy()!, ctx.emit.op1('Sigmoid', [ctx.node.input[0]!])])],
};
