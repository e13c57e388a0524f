// Distillation loss `attn`: attention transfer (Zagoruyko & Komodakis 2017): a map's spatial attention is the
// channel mean of its squared activations, flattened and L2-normalised per image; the loss is the squared
// distance between the student's and the teacher's, summed over positions and averaged over images and
// pairs (0 to 4). Channel counts need not agree: no adapter.
import { average, EPS } from './common.ts';
import type { Loss } from './types.ts';

export const loss: Loss = {
  id: 'attn',
  summary: 'Spatial attention transfer: channel mean of squared activations, L2-normalised, squared difference.',
  weight: 1,
  needs: ['features'],
  build(ctx) {
    const e = ctx.b.emit;
    const terms = ctx.pairs.map((p) => {
      const [n, , h, w] = p.studentShape as [number, number, number, number];
      const at = (x: string): string => {
        const q = e.op1('Reshape', [e.op1('ReduceMean', [e.op1('Mul', [x, x])], { axes: [1], keepdims: 1 }), e.ints([n, h * w])]);
        const norm = e.op1('Sqrt', [e.op1('Add', [e.op1('ReduceSum', [e.op1('Mul', [q, q]), e.ints([1])], { keepdims: 1 }), e.scalar(EPS)])]);
        return e.op1('Div', [q, norm]);
      };
      const d = e.op1('Sub', [at(p.student), at(p.teacher)]);
      return e.op1('Mul', [e.op1('ReduceSum', [e.op1('Mul', [d, d])], { keepdims: 0 }), e.scalar(1 / n)]);
    });
    return average(e, terms);
  },
};
