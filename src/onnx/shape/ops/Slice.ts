// Shape rule for Slice (opset 10+: starts, ends, axes, steps as constant inputs), clamped as ONNX does.
import type { ShapeRule } from '../types.ts';
import { normAxis, shapeOf } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Slice',
  infer(ctx) {
    const x = shapeOf(ctx, 0);
    const elem = ctx.inputs[0]?.elem ?? 1;
    const starts = ctx.constant(1);
    const ends = ctx.constant(2);
    if (!x) return [{ elem }];
    if (!starts || !ends) return [{ elem, shape: x.map(() => '?') }];
    const axes = ctx.constant(3) ?? starts.map((_, i) => i);
    const steps = ctx.constant(4) ?? starts.map(() => 1);
    const out = [...x];
    axes.forEach((a, i) => {
      const ax = normAxis(ctx, a, x.length);
      const dim = x[ax];
      if (typeof dim !== 'number') { out[ax] = '?'; return; }
      const step = steps[i]!;
      const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + dim : v, lo), hi);
      const [s, e] = step > 0 ? [clamp(starts[i]!, 0, dim), clamp(ends[i]!, 0, dim)] : [clamp(starts[i]!, -1, dim - 1), clamp(ends[i]!, -1, dim - 1)];
      out[ax] = Math.max(0, Math.ceil((e - s) / step));
    });
    return [{ elem, shape: out }];
  },
};
