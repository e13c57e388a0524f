// Shape rule for BatchNormalization: Y has X's shape; scale, bias, mean and variance are vectors of X's
// channels; in training mode the running mean and variance outputs have C's shape.
import type { ShapeRule } from '../types.ts';
import { fail, fmt, same, shapeOf } from '../common.ts';

const PARAMS = ['scale', 'bias', 'mean', 'var'];

export const rule: ShapeRule = {
  op: 'BatchNormalization',
  infer(ctx) {
    const c = shapeOf(ctx, 0)?.[1];
    PARAMS.forEach((name, k) => {
      const s = shapeOf(ctx, k + 1);
      if (s && (s.length !== 1 || (typeof c === 'number' && typeof s[0] === 'number' && s[0] !== c))) fail(ctx, `${name} ${fmt(s)} is not a vector of the input's ${c} channels`);
    });
    return [same(ctx), same(ctx, 3), same(ctx, 4)];
  },
};
