// Softmax, LogSoftmax and Hardmax before opset 13 flatten the input to 2-D at `axis` (default 1) and work
// on the second dimension; from 13 they work along `axis` alone (default -1). Where the dimensions after the
// axis are known to be the last one or all 1, that is the same: `axis` is written explicitly. Otherwise the
// old meaning is spelled out, as ONNX's own converter does: Flatten at the axis, the op over the last axis,
// and a Reshape back to the input's shape.
import type { UpgradeRule } from '../types.ts';
import { attrs, set } from '../edit.ts';
import { node } from '../../make.ts';

export const rule: UpgradeRule = {
  id: 'Softmax',
  ops: ['Hardmax', 'LogSoftmax', 'Softmax'],
  summary: 'axis meaning of opset 13 (explicit axis, or Flatten + op + Reshape)',
  upgrade(n, ctx) {
    if (!ctx.crosses(13)) return undefined;
    const axis = attrs(n).int('axis', 1);
    const [x, y] = [n.input[0]!, n.output[0]!];
    const shape = ctx.type(x)?.shape;
    if (shape) {
      const a = axis < 0 ? axis + shape.length : axis;
      if (a >= 0 && a < shape.length && shape.slice(a + 1).every((d) => d === 1)) {
        set(n, 'axis', a);
        return [n];
      }
    }
    const base = n.name || y;
    const [dims, flat, out] = [ctx.fresh(`${x}_shape`), ctx.fresh(`${y}_2d_in`), ctx.fresh(`${y}_2d`)];
    n.input = [flat];
    n.output = [out];
    set(n, 'axis', 1);
    return [
      node('Shape', [x], [dims], {}, ctx.fresh(`${base}_shape`)),
      node('Flatten', [x], [flat], { axis }, ctx.fresh(`${base}_flatten`)),
      n,
      node('Reshape', [out, dims], [y], {}, ctx.fresh(`${base}_reshape`)),
    ];
  },
};
