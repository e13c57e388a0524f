// Shape rule for GlobalAveragePool: [N, C, 1, 1, ...].
import type { ShapeRule } from '../types.ts';
import { shapeOf } from '../common.ts';

export const rule: ShapeRule = {
  op: 'GlobalAveragePool',
  infer(ctx) {
    const x = shapeOf(ctx, 0);
    return [{ elem: ctx.inputs[0]?.elem ?? 1, shape: x && [x[0]!, x[1]!, ...x.slice(2).map(() => 1)] }];
  },
};
