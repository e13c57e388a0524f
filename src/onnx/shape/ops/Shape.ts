// Shape rule for Shape: a 1-D INT64 tensor as long as the input's rank, or its [start, end) range (opset 15).
import type { ShapeRule } from '../types.ts';
import { DataType } from '../../make.ts';

export const rule: ShapeRule = {
  op: 'Shape',
  infer(ctx) {
    const rank = ctx.inputs[0]?.shape?.length;
    if (rank === undefined) return [{ elem: DataType.INT64, shape: ['?'] }];
    const clamp = (v: number) => Math.min(rank, Math.max(0, v < 0 ? v + rank : v));
    const start = clamp(ctx.attrs.int('start', 0));
    const end = clamp(ctx.attrs.int('end', rank));
    return [{ elem: DataType.INT64, shape: [Math.max(0, end - start)] }];
  },
};
