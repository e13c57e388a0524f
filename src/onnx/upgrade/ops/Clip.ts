// Clip before opset 11: min and max are float attributes; from 11 optional inputs of X's type (an absent
// bound stays absent: both definitions then clip at the type's own limits).
import type { UpgradeRule } from '../types.ts';
import { attrs, drop, scalarLike } from '../edit.ts';

export const rule: UpgradeRule = {
  id: 'Clip',
  ops: ['Clip'],
  summary: 'min and max attributes → inputs of the input\'s type (opset 11)',
  upgrade(n, ctx) {
    if (!ctx.crosses(11)) return undefined;
    const a = attrs(n);
    const x = n.input[0]!;
    const bound = (k: string) => (a.has(k) ? scalarLike(ctx, n, k, x, a.float(k, 0)) : '');
    const [min, max] = [bound('min'), bound('max')];
    n.input = max ? [x, min, max] : min ? [x, min] : [x];
    drop(n, 'min', 'max');
    return [n];
  },
};
