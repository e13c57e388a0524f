// BatchNormalization. In training mode (training_mode = 1) it normalises by the batch's statistics, which
// the backward graph recomputes (opset ≥ 14 no longer outputs them):
//   x̂ = (x - μ)·σ⁻¹, dβ = Σ dY, dγ = Σ dY·x̂, dX = γ·σ⁻¹·(dY - dβ/M - x̂·dγ/M)   (sums over N, H, W; M their size)
// Frozen (inference mode) it is a per-channel affine map with the running statistics:
//   dX = dY·γ·σ⁻¹, dγ = Σ dY·x̂, dβ = Σ dY.
// The running statistics are not learned: they get no gradient.
import type { GradContext, GradRule } from '../types.ts';
import { numel } from '../common.ts';

function statistics(ctx: GradContext, x: string, c: number, training: boolean): { centred: string; invStd: string } {
  const e = ctx.emit;
  const [, , , mean, variance] = ctx.node.input as string[];
  const eps = e.scalar(ctx.attrs.float('epsilon', 1e-5));
  const perChannel = (v: string) => e.op1('Reshape', [v, e.ints([1, c, 1, 1])]);
  const axes = [0, 2, 3];
  let mu = perChannel(mean!);
  let v = perChannel(variance!);
  let centred = e.op1('Sub', [x, mu]);
  if (training) {
    mu = e.op1('ReduceMean', [x], { axes, keepdims: 1 });
    centred = e.op1('Sub', [x, mu]);
    v = e.op1('ReduceMean', [e.op1('Mul', [centred, centred])], { axes, keepdims: 1 });
  }
  return { centred, invStd: e.op1('Reciprocal', [e.op1('Sqrt', [e.op1('Add', [v, eps])])]) };
}

export const BatchNormalization: GradRule = {
  op: 'BatchNormalization',
  params: [1, 2],
  grad(ctx) {
    const e = ctx.emit;
    const [x, scale] = ctx.node.input as [string, string];
    const shape = ctx.shape(x);
    const c = shape[1]!;
    const training = ctx.attrs.int('training_mode', 0) === 1;
    const dy = ctx.dy()!;
    const { centred, invStd } = statistics(ctx, x, c, training);
    const xhat = e.op1('Mul', [centred, invStd]);
    const sum = (v: string) => e.op1('ReduceSum', [v, e.ints([0, 2, 3])], { keepdims: 1 });
    const dBeta = sum(dy);
    const dGamma = sum(e.op1('Mul', [dy, xhat]));
    const k = e.op1('Mul', [e.op1('Reshape', [scale, e.ints([1, c, 1, 1])]), invStd]);
    const dX = () => {
      if (!training) return e.op1('Mul', [dy, k]);
      const inv = e.scalar(1 / (numel(shape) / c));
      const inner = e.op1('Sub', [e.op1('Sub', [dy, e.op1('Mul', [dBeta, inv])]), e.op1('Mul', [xhat, e.op1('Mul', [dGamma, inv])])]);
      return e.op1('Mul', [k, inner]);
    };
    const vector = (v: string) => e.op1('Reshape', [v, e.ints([c])]);
    return [ctx.wants(0) ? dX() : undefined, ctx.wants(1) ? vector(dGamma) : undefined, ctx.wants(2) ? vector(dBeta) : undefined];
  },
};
