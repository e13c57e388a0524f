// Scatter, deprecated at opset 11, is ScatterElements under a new name: same inputs, same axis.
import type { UpgradeRule } from '../types.ts';

export const rule: UpgradeRule = {
  id: 'Scatter',
  ops: ['Scatter'],
  summary: 'Scatter → ScatterElements (opset 11)',
  upgrade(n, ctx) {
    if (!ctx.crosses(11)) return undefined;
    n.opType = 'ScatterElements';
    return [n];
  },
};
