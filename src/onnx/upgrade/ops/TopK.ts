// TopK before opset 10: k is an attribute; from 10 a one-element INT64 input. (Opset 11 adds `largest` and
// `sorted`, whose defaults are the old behaviour.)
import type { UpgradeRule } from '../types.ts';
import { attrs, drop, int64s } from '../edit.ts';

export const rule: UpgradeRule = {
  id: 'TopK',
  ops: ['TopK'],
  summary: 'k attribute → input (opset 10)',
  upgrade(n, ctx) {
    if (!ctx.crosses(10)) return undefined;
    const k = attrs(n).int('k', -1);
    if (k < 0) ctx.fail('it has no k');
    n.input = [n.input[0]!, int64s(ctx, n, 'k', [k])];
    drop(n, 'k');
    return [n];
  },
};
