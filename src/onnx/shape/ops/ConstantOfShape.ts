// Shape rule for ConstantOfShape: the shape its (constant) input gives, in the type of its `value` (float 0
// when it has none).
import type { ShapeRule } from '../types.ts';
import { DataType } from '../../make.ts';

export const rule: ShapeRule = {
  op: 'ConstantOfShape',
  infer(ctx) {
    const elem = ctx.attrs.tensor('value')?.dataType ?? DataType.FLOAT;
    const dims = ctx.constant(0);
    const length = ctx.inputs[0]?.shape?.[0];
    return [{ elem, shape: dims ?? (typeof length === 'number' ? Array<string>(length).fill('?') : undefined) }];
  },
};
