// BatchNormalization before opset 9 has `spatial`: 1 (the default) is per-channel statistics, the only kind
// from opset 9 on; 0, per-activation statistics, has no equivalent there.
import type { UpgradeRule } from '../types.ts';
import { attrs, drop } from '../edit.ts';

export const rule: UpgradeRule = {
  id: 'BatchNormalization',
  ops: ['BatchNormalization'],
  summary: 'spatial attribute dropped (opset 9)',
  upgrade(n, ctx) {
    if (!ctx.crosses(9)) return undefined;
    if (attrs(n).int('spatial', 1) !== 1) ctx.fail('spatial=0 (statistics per activation) has no equivalent from opset 9 on');
    drop(n, 'spatial');
    return [n];
  },
};
