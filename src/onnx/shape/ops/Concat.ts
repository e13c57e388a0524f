// Shape rule for Concat: the inputs' shapes, with the sizes along `axis` added.
import type { ShapeRule, Dim } from '../types.ts';
import { fail, fmt, normAxis } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Concat',
  infer(ctx) {
    const shapes = ctx.inputs.map((t) => t?.shape);
    const elem = ctx.inputs.find((t) => t)?.elem ?? 1;
    if (shapes.some((s) => !s) || !shapes.length) return [{ elem }];
    const rank = shapes[0]!.length;
    const axis = normAxis(ctx, ctx.attrs.int('axis', 0), rank);
    const out: Dim[] = [...shapes[0]!];
    out[axis] = shapes.reduce<Dim>((sum, s) => (typeof sum === 'number' && typeof s![axis] === 'number' ? sum + (s![axis] as number) : '?'), 0);
    for (const s of shapes) {
      if (s!.length !== rank || s!.some((d, i) => i !== axis && typeof d === 'number' && typeof out[i] === 'number' && d !== out[i])) {
        fail(ctx, `inputs ${shapes.map(fmt).join(' and ')} differ outside axis ${axis}`);
      }
    }
    return [{ elem, shape: out }];
  },
};
