// Pad before opset 11: pads and the constant value are attributes; from 11 inputs (pads INT64, the value of
// X's type, absent for 0 as before).
import type { UpgradeRule } from '../types.ts';
import { attrs, drop, int64s, scalarLike } from '../edit.ts';

export const rule: UpgradeRule = {
  id: 'Pad',
  ops: ['Pad'],
  summary: 'pads and value attributes → inputs (opset 11)',
  upgrade(n, ctx) {
    if (!ctx.crosses(11)) return undefined;
    const a = attrs(n);
    const pads = a.ints('pads') ?? ctx.fail('it has no pads');
    const value = a.float('value', 0);
    const x = n.input[0]!;
    n.input = [x, int64s(ctx, n, 'pads', pads), ...(value !== 0 ? [scalarLike(ctx, n, 'value', x, value)] : [])];
    drop(n, 'pads', 'value');
    return [n];
  },
};
