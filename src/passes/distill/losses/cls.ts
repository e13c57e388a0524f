// Distillation loss `cls`: the teacher's class scores and objectness as soft targets (Chen et al. 2017;
// Mehta & Ozturk 2018). YOLO scores each class with its own sigmoid, so the soft target of a class is
// σ(z_t/T) and the loss is the binary cross-entropy of σ(z_s/T) against it, less the teacher's own (so that
// it is 0 when the student matches), scaled by T² as Hinton's soft targets are. The class term is weighted by
// the teacher's objectness σ(o_t), so that the background cells, most of a map, do not drown the signal;
// the objectness itself is distilled the same way at every cell (there the background is the signal).
import { headParts } from '../../../train/loss/head-parts.ts';
import { average, bce, EPS, mean } from './common.ts';
import type { Loss } from './types.ts';

export const loss: Loss = {
  id: 'cls',
  summary: "Classification and objectness: the teacher's scores softened by the temperature T as soft targets, class terms weighted by the teacher's objectness.",
  weight: 1,
  needs: ['heads'],
  build(ctx) {
    const e = ctx.b.emit;
    const inv = e.scalar(1 / ctx.temperature);
    const soft = (zs: string, zt: string): string => {
      const [s, t] = [e.op1('Mul', [zs, inv]), e.op1('Mul', [zt, inv])];
      const p = e.op1('Sigmoid', [t]);
      return e.op1('Sub', [bce(e, s, p), bce(e, t, p)]);
    };
    const terms = ctx.heads.map((h) => {
      // a new_coords head (scaled-YOLOv4) outputs probabilities: back to logits, log(p / (1 − p))
      const logit = (v: string): string => {
        if (!h.newCoords) return v;
        const p = e.op1('Clip', [v, e.scalar(1e-6), e.scalar(1 - 1e-6)]);
        return e.op1('Log', [e.op1('Div', [p, e.op1('Sub', [e.scalar(1), p])])]);
      };
      const parts = (map: string) => { const q = headParts(e, h, map, ctx.batch); return { tobj: logit(q.tobj), tcls: logit(q.tcls) }; };
      const s = parts(h.output);
      const t = parts(ctx.teacher(h.output));
      const w = e.op1('Sigmoid', [t.tobj]);
      const mass = e.op1('Add', [e.op1('Mul', [e.op1('ReduceSum', [w], { keepdims: 0 }), e.scalar(h.classes)]), e.scalar(EPS)]);
      const cls = e.op1('Div', [e.op1('ReduceSum', [e.op1('Mul', [w, soft(s.tcls, t.tcls)])], { keepdims: 0 }), mass]);
      const obj = mean(e, soft(s.tobj, t.tobj));
      return e.op1('Mul', [e.op1('Add', [cls, obj]), e.scalar(ctx.temperature ** 2)]);
    });
    return average(e, terms);
  },
};
