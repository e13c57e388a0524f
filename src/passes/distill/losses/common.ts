// Pieces the distillation losses share: binary cross-entropy on logits, means, and the 1×1 adapters that map
// a student's channels onto the teacher's (trained with the student, dropped at export).
import type { Emitter } from '../../../train/autodiff/emit.ts';
import type { LossContext } from './types.ts';

/** BCE(sigmoid(x), t) from logits x, elementwise: softplus(x) − x·t (stable for any x). */
export const bce = (e: Emitter, x: string, t: string): string => e.op1('Sub', [e.op1('Softplus', [x]), e.op1('Mul', [x, t])]);

/** The mean of every element. */
export const mean = (e: Emitter, x: string): string => e.op1('ReduceMean', [x], { keepdims: 0 });

/** The mean of several scalars. */
export const average = (e: Emitter, xs: string[]): string => (xs.length === 1 ? xs[0]! : e.op1('Mul', [e.op1('Sum', xs), e.scalar(1 / xs.length)]));

/** Guards a division by a sum that may be zero (no teacher objectness, an all-zero map). */
export const EPS = 1e-6;

/**
 * A 1×1 convolution from `cin` student channels to `cout` teacher channels, as weights of the loss: the
 * identity when the counts agree (an unpruned layer starts at no correction), else Kaiming-uniform values,
 * as a fresh convolution would start (PyTorch's default).
 */
export function adapter(ctx: LossContext, name: string, cin: number, cout: number): (x: string) => string {
  const w = new Float32Array(cout * cin);
  if (cin === cout) for (let c = 0; c < cout; c++) w[c * cin + c] = 1;
  else {
    const bound = 1 / Math.sqrt(cin);
    for (let i = 0; i < w.length; i++) w[i] = (2 * ctx.random() - 1) * bound;
  }
  const weight = ctx.b.param(`${name}.weight`, [cout, cin, 1, 1], w);
  const bias = ctx.b.param(`${name}.bias`, [cout], new Float32Array(cout));
  return (x) => ctx.b.emit.op1('Conv', [x, weight, bias], { kernel_shape: [1, 1] });
}
