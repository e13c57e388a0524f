// Distillation loss `corr`: channel correlation. A map's channels, each L2-normalised over its positions,
// give a C×C Gram matrix of cosine similarities: which channels fire together. The student's map, taken
// onto the teacher's channels by a 1×1 adapter, should correlate as the teacher's does; the loss is the mean
// squared difference of the two matrices (ICKD-style; the thesis's exact form is not published).
import { adapter, average, EPS, mean } from './common.ts';
import type { Loss } from './types.ts';

export const loss: Loss = {
  id: 'corr',
  summary: 'Channel correlation: the normalised CxC Gram matrices of student (through a 1x1 adapter) and teacher features compared.',
  weight: 1,
  needs: ['features'],
  build(ctx) {
    const e = ctx.b.emit;
    const terms = ctx.pairs.map((p, k) => {
      const [n, c, h, w] = p.teacherShape as [number, number, number, number];
      const gram = (x: string): string => {
        const f = e.op1('Reshape', [x, e.ints([n, c, h * w])]);
        const norm = e.op1('Sqrt', [e.op1('Add', [e.op1('ReduceSum', [e.op1('Mul', [f, f]), e.ints([2])], { keepdims: 1 }), e.scalar(EPS)])]);
        const u = e.op1('Div', [f, norm]);
        return e.op1('MatMul', [u, e.op1('Transpose', [u], { perm: [0, 2, 1] })]);
      };
      const a = adapter(ctx, `distill:corr:${k}`, p.studentShape[1]!, c);
      const d = e.op1('Sub', [gram(a(p.student)), gram(p.teacher)]);
      return mean(e, e.op1('Mul', [d, d]));
    });
    return average(e, terms);
  },
};
