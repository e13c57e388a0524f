// Shape rule for Slice (opset 10+: starts, ends, axes, steps as constant inputs; before: starts, ends, axes
// attributes), clamped as ONNX does.
import type { ShapeRule } from '../types.ts';
import { normAxis, shapeOf, sliceBounds } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Slice',
  infer(ctx) {
    const x = shapeOf(ctx, 0);
    const elem = ctx.inputs[0]?.elem ?? 1;
    const old = ctx.opset < 10;
    const starts = old ? ctx.attrs.ints('starts') : ctx.constant(1);
    const ends = old ? ctx.attrs.ints('ends') : ctx.constant(2);
    if (!x) return [{ elem }];
    const computed = (i: number) => !old && !!ctx.node.input[i] && !ctx.constant(i); // axes or steps known only at run time
    if (!starts || !ends || computed(3) || computed(4)) return [{ elem, shape: x.map(() => '?') }];
    const axes = (old ? ctx.attrs.ints('axes') : ctx.constant(3)) ?? starts.map((_, i) => i);
    const steps = (old ? undefined : ctx.constant(4)) ?? starts.map(() => 1);
    const out = [...x];
    axes.forEach((a, i) => {
      const ax = normAxis(ctx, a, x.length);
      const dim = x[ax];
      if (typeof dim !== 'number') { out[ax] = '?'; return; }
      const step = steps[i]!;
      const [s, e] = sliceBounds(starts[i]!, ends[i]!, step, dim);
      out[ax] = Math.max(0, Math.ceil((e - s) / step));
    });
    return [{ elem, shape: out }];
  },
};
