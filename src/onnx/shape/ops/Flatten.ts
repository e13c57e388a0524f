// Shape rule for Flatten: [product of dims before axis, product of the rest].
import type { ShapeRule, Dim } from '../types.ts';
import { shapeOf } from '../common.ts';

const product = (ds: Dim[]): Dim => (ds.every((d) => typeof d === 'number') ? (ds as number[]).reduce((a, b) => a * b, 1) : ds.length === 1 ? ds[0]! : '?');

export const rule: ShapeRule = {
  op: 'Flatten',
  infer(ctx) {
    const x = shapeOf(ctx, 0);
    const elem = ctx.inputs[0]?.elem ?? 1;
    if (!x) return [{ elem }];
    let axis = ctx.attrs.int('axis', 1);
    if (axis < 0) axis += x.length;
    return [{ elem, shape: [product(x.slice(0, axis)), product(x.slice(axis))] }];
  },
};
