// Shape rule for Constant: the shape and type of its `value` tensor (other value attributes: scalars).
import type { ShapeRule } from '../types.ts';
import { DataType } from '../../make.ts';
import { fail } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Constant',
  infer(ctx) {
    if (!ctx.node.attribute.length) fail(ctx, 'a Constant needs its value (value, value_float, value_ints, ...)');
    const t = ctx.attrs.tensor('value');
    if (t) return [{ elem: t.dataType, shape: t.dims.map(Number) }];
    const ints = ctx.attrs.ints('value_ints');
    if (ints) return [{ elem: DataType.INT64, shape: [ints.length] }];
    const floats = ctx.attrs.floats('value_floats');
    if (floats) return [{ elem: DataType.FLOAT, shape: [floats.length] }];
    return [{ elem: ctx.attrs.has('value_int') ? DataType.INT64 : DataType.FLOAT, shape: [] }];
  },
};
