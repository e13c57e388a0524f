// Shape rule for DequantizeLinear: X's shape, in the scale's float type.
import type { ShapeRule } from '../types.ts';
import { DataType } from '../../make.ts';

export const rule: ShapeRule = {
  op: 'DequantizeLinear',
  infer: (ctx) => [{ elem: ctx.inputs[1]?.elem ?? DataType.FLOAT, shape: ctx.inputs[0]?.shape }],
};
