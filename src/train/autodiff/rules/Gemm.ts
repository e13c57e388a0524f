// Gemm, Y = alpha·A'·B' + beta·C (A', B' optionally transposed): each matrix gradient is one more Gemm with
// the transpose flags swapped; C's is beta·dY summed over its broadcast axes.
import { float } from '../emit.ts';
import { unbroadcast } from '../common.ts';
import type { GradRule } from '../types.ts';

export const Gemm: GradRule = {
  op: 'Gemm',
  params: [1, 2],
  grad(ctx) {
    const e = ctx.emit;
    const [a, b, c] = ctx.node.input as [string, string, string | undefined];
    const tA = ctx.attrs.int('transA', 0);
    const tB = ctx.attrs.int('transB', 0);
    const alpha = float(ctx.attrs.float('alpha', 1));
    const beta = ctx.attrs.float('beta', 1);
    const dy = ctx.dy()!;
    const dA = () => (tA ? e.op1('Gemm', [b, dy], { alpha, transA: tB, transB: 1 }) : e.op1('Gemm', [dy, b], { alpha, transB: tB ? 0 : 1 }));
    const dB = () => (tB ? e.op1('Gemm', [dy, a], { alpha, transA: 1, transB: tA }) : e.op1('Gemm', [a, dy], { alpha, transA: tA ? 0 : 1 }));
    const dC = () => {
      const g = unbroadcast(ctx, dy, ctx.shape(ctx.node.output[0]!), ctx.shape(c!));
      return beta === 1 ? g : e.op1('Mul', [g, e.scalar(beta)]);
    };
    return [ctx.wants(0) ? dA() : undefined, ctx.wants(1) ? dB() : undefined, c && ctx.wants(2) ? dC() : undefined];
  },
};
