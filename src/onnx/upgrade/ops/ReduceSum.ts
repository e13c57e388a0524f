// ReduceSum before opset 13: the axes are an attribute; from 13 an input (no axes: every axis, as before).
// The other reductions keep the attribute until opset 18, past what lithe writes.
import type { UpgradeRule } from '../types.ts';
import { attrs, drop, int64s } from '../edit.ts';

export const rule: UpgradeRule = {
  id: 'ReduceSum',
  ops: ['ReduceSum'],
  summary: 'axes attribute → input (opset 13)',
  upgrade(n, ctx) {
    if (!ctx.crosses(13)) return undefined;
    const axes = attrs(n).ints('axes');
    if (axes) n.input = [n.input[0]!, int64s(ctx, n, 'axes', axes)];
    drop(n, 'axes');
    return [n];
  },
};
