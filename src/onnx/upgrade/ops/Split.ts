// Split before opset 13: the part sizes are an attribute; from 13 an input (none: equal parts, as before).
import type { UpgradeRule } from '../types.ts';
import { attrs, drop, int64s } from '../edit.ts';

export const rule: UpgradeRule = {
  id: 'Split',
  ops: ['Split'],
  summary: 'split attribute → input (opset 13)',
  upgrade(n, ctx) {
    if (!ctx.crosses(13)) return undefined;
    const split = attrs(n).ints('split');
    if (split) n.input = [n.input[0]!, int64s(ctx, n, 'split', split)];
    drop(n, 'split');
    return [n];
  },
};
