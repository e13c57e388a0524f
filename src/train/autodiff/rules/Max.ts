// Max of two tensors (box corners of an enclosing box): the gradient goes to the larger input (the first on
// a tie), each summed over its broadcast axes.
import { unbroadcast } from '../common.ts';
import { AutodiffError, type GradRule } from '../types.ts';

export const Max: GradRule = {
  op: 'Max',
  grad: (ctx) => pick(ctx, 'GreaterOrEqual'),
};

/** Shared with Min: `compare` says when input 0 is the one chosen. */
export function pick(ctx: Parameters<GradRule['grad']>[0], compare: string): (string | undefined)[] {
  const e = ctx.emit;
  const ins = ctx.node.input;
  if (ins.length !== 2) throw new AutodiffError(`node '${ctx.node.name}' (${ctx.node.opType}): the gradient is implemented for two inputs, not ${ins.length}`);
  const [a, b] = ins as [string, string];
  const dy = ctx.dy()!;
  const out = ctx.shape(ctx.node.output[0]!);
  const first = e.op1(compare, [a, b]);
  return [
    ctx.wants(0) ? unbroadcast(ctx, e.op1('Where', [first, dy, e.scalar(0)]), out, ctx.shape(a)) : undefined,
    ctx.wants(1) ? unbroadcast(ctx, e.op1('Where', [first, e.scalar(0), dy]), out, ctx.shape(b)) : undefined,
  ];
}
