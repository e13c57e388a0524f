// Resize-10 has X and scales and a mode; from 11 it also takes roi and sizes and says how coordinates map
// (default half_pixel, which is not what Resize-10 did): the old meaning is written out explicitly. Resize-11
// to 13 only made roi optional.
import type { UpgradeRule } from '../types.ts';
import { asResize } from '../resize.ts';

export const rule: UpgradeRule = {
  id: 'Resize',
  ops: ['Resize'],
  summary: 'Resize-10 → Resize with roi, asymmetric coordinates and its rounding (opset 11)',
  upgrade(n, ctx) {
    return ctx.crosses(11) ? asResize(n, ctx, false) : undefined;
  },
};
