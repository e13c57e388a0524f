// Slice before opset 10: starts, ends and axes are attributes; from 10 they are inputs (steps too, 1 here).
import type { UpgradeRule } from '../types.ts';
import { attrs, drop, int64s } from '../edit.ts';

export const rule: UpgradeRule = {
  id: 'Slice',
  ops: ['Slice'],
  summary: 'starts, ends and axes attributes → inputs (opset 10)',
  upgrade(n, ctx) {
    if (!ctx.crosses(10)) return undefined;
    const a = attrs(n);
    const starts = a.ints('starts') ?? ctx.fail('it has no starts');
    const ends = a.ints('ends') ?? ctx.fail('it has no ends');
    const axes = a.ints('axes');
    n.input = [n.input[0]!, int64s(ctx, n, 'starts', starts), int64s(ctx, n, 'ends', ends), ...(axes ? [int64s(ctx, n, 'axes', axes)] : [])];
    drop(n, 'starts', 'ends', 'axes');
    return [n];
  },
};
