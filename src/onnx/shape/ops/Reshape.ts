// Shape rule for Reshape: the constant target shape, with 0 copying the input's dimension and one -1 inferred.
import type { ShapeRule, Dim } from '../types.ts';
import { fail, fmt, shapeOf } from '../common.ts';

export const rule: ShapeRule = {
  op: 'Reshape',
  infer(ctx) {
    const x = shapeOf(ctx, 0);
    const elem = ctx.inputs[0]?.elem ?? 1;
    const target = ctx.constant(1);
    if (!target) return [{ elem }];
    if (target.some((d) => d < -1) || target.filter((d) => d === -1).length > 1) fail(ctx, `the target shape ${fmt(target)} has a dimension below -1, or more than one -1`);
    const allowZero = ctx.attrs.int('allowzero', 0) === 1;
    const out: Dim[] = target.map((d, i) => (d === 0 && !allowZero ? x?.[i] ?? '?' : d));
    const minus = out.indexOf(-1);
    if (minus >= 0) {
      // a symbolic dimension kept (the batch N, copied by a 0) cancels out of both products
      const known = out.filter((d, i) => i !== minus);
      const left: Dim[] = [...(x ?? ['?'])];
      const right: Dim[] = [];
      for (const d of known) {
        const same = typeof d === 'string' && d !== '?' ? left.indexOf(d) : -1;
        if (same >= 0) left.splice(same, 1);
        else right.push(d);
      }
      const total = left.every((d) => typeof d === 'number') ? (left as number[]).reduce((a, b) => a * b, 1) : undefined;
      const rest = right.every((d) => typeof d === 'number') ? (right as number[]).reduce((a, b) => a * b, 1) : undefined;
      out[minus] = total !== undefined && rest ? total / rest : '?';
      if (typeof out[minus] === 'number' && !Number.isInteger(out[minus])) fail(ctx, `cannot reshape ${fmt(x)} to ${fmt(target)}`);
    }
    return [{ elem, shape: out }];
  },
};
