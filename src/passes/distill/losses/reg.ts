// Distillation loss `reg`: teacher-bounded regression (Chen et al. 2017). At each positive cell the box
// error of the student, e_s, counts only where it exceeds the teacher's, e_t, less a margin m: the teacher is
// an upper bound to reach, not a target to copy (its own boxes may be wrong). The error is taken in the
// box's own scale, e = |Δxy / wh_gt|² + |log((wh + 1) / (wh_gt + 1))|², summed over the two coordinates,
// and averaged over the positives like the detection loss's box term (the fed weight is 1/npos there).
import { headBoxes, headParts, targetNames } from '../../../train/loss/head-parts.ts';
import type { Emitter } from '../../../train/autodiff/emit.ts';
import { average } from './common.ts';
import type { Loss } from './types.ts';

/** The margin m: the student's error may exceed the teacher's by this much before it counts. */
export const MARGIN = 0.01;

export const loss: Loss = {
  id: 'reg',
  summary: "Teacher-bounded regression: the student's box error counts only where it is worse than the teacher's by a margin.",
  weight: 1,
  needs: ['heads'],
  build(ctx) {
    const e = ctx.b.emit;
    const terms = ctx.heads.map((h) => {
      const names = targetNames(h);
      const [bxy, bwh] = e.op('Split', [names.box, e.ints([2, 2])], { axis: 2 }, 2) as [string, string];
      const scale = e.op1('Max', [bwh, e.scalar(1)]); // 0 where there is no target: the weight is 0 there too
      const error = (map: string): string => {
        const p = headParts(e, h, map, ctx.batch);
        const { xy, wh } = headBoxes(e, h, p.txy, p.twh);
        const dxy = e.op1('Div', [e.op1('Sub', [xy, bxy]), scale]);
        const dwh = e.op1('Log', [e.op1('Div', [e.op1('Add', [wh, e.scalar(1)]), e.op1('Add', [bwh, e.scalar(1)])])]);
        return sumPairs(e, e.op1('Add', [e.op1('Mul', [dxy, dxy]), e.op1('Mul', [dwh, dwh])]));
      };
      const es = error(h.output);
      const et = error(ctx.teacher(h.output));
      const counted = e.op1('Where', [e.op1('Greater', [e.op1('Add', [es, e.scalar(MARGIN)]), et]), es, e.scalar(0)]);
      return e.op1('ReduceSum', [e.op1('Mul', [counted, names.weight])], { keepdims: 0 });
    });
    return average(e, terms);
  },
};

/** [B, A, 2, H, W] → [B, A, 1, H, W]: the sum over x and y (w and h). */
const sumPairs = (e: Emitter, x: string): string => e.op1('ReduceSum', [x, e.ints([2])], { keepdims: 1 });
