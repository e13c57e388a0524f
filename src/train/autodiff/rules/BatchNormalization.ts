// BatchNormalization. In training mode (training_mode = 1) it normalises by the batch's statistics, which
// the backward graph recomputes (opset ≥ 14 no longer outputs them). With c = x - μ, s = σ⁻¹, x̂ = c·s and sums
// over N, H, W (M their size):
//   dβ = Σ dY, dγ = s·Σ dY·c, dX = γs·(dY - dβ/M - x̂·dγ/M) = γs·dY + (-γs³·Σ dY·c / M)·c + (-γs·dβ / M)
// The last two terms are an affine map of x per channel, which onnxruntime's inference BatchNormalization
// (mean μ, variance 1, epsilon 0) applies in one pass over x, where the textbook form takes five
// (yolov3-tiny's first BN at 320: 50 → 37 ms per batch of 8).
// Frozen (inference mode) it is a per-channel affine map with the running statistics:
//   dX = dY·γ·σ⁻¹, dγ = Σ dY·x̂, dβ = Σ dY.
// The running statistics are not learned: they get no gradient.
import type { GradContext, GradRule } from '../types.ts';
import { float } from '../emit.ts';
import { numel } from '../common.ts';

const AXES = [0, 2, 3];

/** 1 / √(variance + epsilon), per channel. */
const inverseStd = (ctx: GradContext, variance: string) =>
  ctx.emit.op1('Reciprocal', [ctx.emit.op1('Sqrt', [ctx.emit.op1('Add', [variance, ctx.emit.scalar(ctx.attrs.float('epsilon', 1e-5))])])]);

function training(ctx: GradContext, x: string, scale: string, c: number, m: number): (string | undefined)[] {
  const e = ctx.emit;
  const dy = ctx.dy()!;
  const mu = e.op1('ReduceMean', [x], { axes: AXES, keepdims: 1 });
  const centred = e.op1('Sub', [x, mu]);
  const variance = e.op1('Mul', [e.op1('ReduceSumSquare', [centred], { axes: AXES, keepdims: 1 }), e.scalar(1 / m)]);
  const invStd = inverseStd(ctx, variance);
  const sum = (t: string) => e.op1('ReduceSum', [t, e.ints(AXES)], { keepdims: 1 });
  const dBeta = sum(dy);
  const dGamma = e.op1('Mul', [sum(e.op1('Mul', [dy, centred])), invStd]);
  const vector = (t: string) => e.op1('Reshape', [t, e.ints([c])]);
  const dX = () => {
    const k = e.op1('Mul', [e.op1('Reshape', [scale, e.ints([1, c, 1, 1])]), invStd]);
    const perM = e.scalar(-1 / m);
    const slope = e.op1('Mul', [e.op1('Mul', [k, invStd]), e.op1('Mul', [dGamma, perM])]);
    const offset = e.op1('Mul', [k, e.op1('Mul', [dBeta, perM])]);
    const ones = e.floats(new Float32Array(c).fill(1), [c]);
    const affine = e.op1('BatchNormalization', [x, vector(slope), vector(offset), vector(mu), ones], { epsilon: float(0) });
    return e.op1('Add', [e.op1('Mul', [dy, k]), affine]);
  };
  return [ctx.wants(0) ? dX() : undefined, ctx.wants(1) ? vector(dGamma) : undefined, ctx.wants(2) ? vector(dBeta) : undefined];
}

function frozen(ctx: GradContext, x: string, scale: string, c: number): (string | undefined)[] {
  const e = ctx.emit;
  const [, , , mean, variance] = ctx.node.input as string[];
  const dy = ctx.dy()!;
  const perChannel = (v: string) => e.op1('Reshape', [v, e.ints([1, c, 1, 1])]);
  const invStd = inverseStd(ctx, perChannel(variance!));
  const xhat = e.op1('Mul', [e.op1('Sub', [x, perChannel(mean!)]), invStd]);
  const sum = (t: string) => e.op1('Reshape', [e.op1('ReduceSum', [t, e.ints(AXES)], { keepdims: 0 }), e.ints([c])]);
  return [
    ctx.wants(0) ? e.op1('Mul', [dy, e.op1('Mul', [perChannel(scale), invStd])]) : undefined,
    ctx.wants(1) ? sum(e.op1('Mul', [dy, xhat])) : undefined,
    ctx.wants(2) ? sum(dy) : undefined,
  ];
}

export const BatchNormalization: GradRule = {
  op: 'BatchNormalization',
  params: [1, 2],
  grad(ctx) {
    const [x, scale] = ctx.node.input as [string, string];
    const shape = ctx.shape(x);
    const c = shape[1]!;
    return ctx.attrs.int('training_mode', 0) === 1 ? training(ctx, x, scale, c, numel(shape) / c) : frozen(ctx, x, scale, c);
  },
};
