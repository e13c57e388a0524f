// Shape rule for Pad: each dimension grows by its begin and end pads (an input from opset 11).
import type { ShapeRule } from '../types.ts';
import { shapeOf } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Pad',
  infer(ctx) {
    const x = shapeOf(ctx, 0);
    const elem = ctx.inputs[0]?.elem ?? 1;
    const pads = ctx.constant(1) ?? ctx.attrs.ints('pads');
    if (!x) return [{ elem }];
    if (!pads || ctx.node.input[3]) return [{ elem, shape: x.map(() => '?') }]; // per-axis pads (opset 18) are not read yet
    const r = x.length;
    return [{ elem, shape: x.map((d, i) => (typeof d === 'number' ? d + pads[i]! + pads[i + r]! : '?')) }];
  },
};
