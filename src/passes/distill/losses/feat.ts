// Distillation loss `feat`: feature imitation (Chen et al. 2017's hint loss; FitNets). Each paired student
// map goes through a 1×1 adapter onto the teacher's channels (a pruned layer has fewer), and the squared
// error to the teacher's map is taken relative to the teacher map's mean square: a scale-free number, so one
// weight fits maps of any magnitude and depth.
import { adapter, average, EPS, mean } from './common.ts';
import type { Loss } from './types.ts';

export const loss: Loss = {
  id: 'feat',
  summary: "Feature imitation: the paired feature maps through 1x1 adapters, squared error relative to the teacher map's mean square.",
  weight: 1,
  needs: ['features'],
  build(ctx) {
    const e = ctx.b.emit;
    const terms = ctx.pairs.map((p, k) => {
      const a = adapter(ctx, `distill:feat:${k}`, p.studentShape[1]!, p.teacherShape[1]!);
      const t = p.teacher;
      const d = e.op1('Sub', [a(p.student), t]);
      return e.op1('Div', [mean(e, e.op1('Mul', [d, d])), e.op1('Add', [mean(e, e.op1('Mul', [t, t])), e.scalar(EPS)])]);
    });
    return average(e, terms);
  },
};
