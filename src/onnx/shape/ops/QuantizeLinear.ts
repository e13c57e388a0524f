// Shape rule for QuantizeLinear: X's shape, the zero point's type (uint8 when there is none).
import type { ShapeRule } from '../types.ts';
import { DataType } from '../../make.ts';

export const rule: ShapeRule = {
  op: 'QuantizeLinear',
  infer: (ctx) => [{ elem: ctx.inputs[2]?.elem ?? DataType.UINT8, shape: ctx.inputs[0]?.shape }],
};
