// Upsample: the scales attribute (opset 7) became an input at 9; the op was deprecated at 10 in favour of
// Resize, which with asymmetric coordinates (and rounding down, for nearest) computes exactly what it did.
import type { UpgradeRule } from '../types.ts';
import { attrs, drop } from '../edit.ts';
import { tensor } from '../../make.ts';
import { asResize } from '../resize.ts';

export const rule: UpgradeRule = {
  id: 'Upsample',
  ops: ['Upsample'],
  summary: 'scales attribute → input (opset 9); Upsample → Resize with asymmetric coordinates (opset 10)',
  upgrade(n, ctx) {
    const scales = attrs(n).floats('scales');
    if (scales) {
      if (!ctx.crosses(9)) return undefined;
      n.input = [n.input[0]!, ctx.add(`${n.name || n.output[0]}_scales`, (name) => tensor(name, [scales.length], Float32Array.from(scales)))];
      drop(n, 'scales');
    }
    return ctx.to >= 10 ? asResize(n, ctx, true) : [n];
  },
};
