// MatMul (numpy semantics): dA = dY·Bᵀ, dB = Aᵀ·dY, summed over broadcast batch axes. A 2-D weight B gets
// its gradient from one Gemm over all rows at once.
import { unbroadcast } from '../common.ts';
import { AutodiffError, type GradRule } from '../types.ts';

const swapLast = (rank: number) => Array.from({ length: rank }, (_, k) => (k === rank - 1 ? rank - 2 : k === rank - 2 ? rank - 1 : k));

export const MatMul: GradRule = {
  op: 'MatMul',
  params: [1],
  grad(ctx) {
    const e = ctx.emit;
    const [a, b] = ctx.node.input as [string, string];
    const [as, bs, ys] = [ctx.shape(a), ctx.shape(b), ctx.shape(ctx.node.output[0]!)];
    if (as.length < 2 || bs.length < 2) throw new AutodiffError(`node '${ctx.node.name}' (MatMul): training needs both inputs of rank 2 or more`);
    const dy = ctx.dy()!;
    const dA = () => unbroadcast(ctx, e.op1('MatMul', [dy, e.op1('Transpose', [b], { perm: swapLast(bs.length) })]), [...ys.slice(0, -1), bs[bs.length - 2]!], as);
    const dB = () => {
      if (bs.length === 2) {
        const rows = (v: string, width: number) => e.op1('Reshape', [v, e.ints([-1, width])]);
        return e.op1('Gemm', [rows(a, bs[0]!), rows(dy, bs[1]!)], { transA: 1 });
      }
      const g = e.op1('MatMul', [e.op1('Transpose', [a], { perm: swapLast(as.length) }), dy]);
      return unbroadcast(ctx, g, [...ys.slice(0, -2), as[as.length - 1]!, ys[ys.length - 1]!], bs);
    };
    return [ctx.wants(0) ? dA() : undefined, ctx.wants(1) ? dB() : undefined];
  },
};
