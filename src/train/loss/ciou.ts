// Complete IoU (Zheng et al., 2020) between two sets of boxes given as centre and size, as ONNX ops:
//   CIoU = IoU - ρ²/c² - α·v,  v = 4/π²·(atan(w_t/h_t) - atan(w/h))²,  α = v / (v - IoU + 1)
// ρ: the distance between the centres; c: the diagonal of the smallest box enclosing both. Tensors are
// [..., 2, ...] along `axis` for (x, y) and (w, h). Unlike PyTorch's version, α is not detached (ONNX has
// no stop-gradient); its gradient is small next to IoU's.
import type { Emitter } from '../autodiff/emit.ts';

const EPS = 1e-7;

export function ciou(e: Emitter, xy: string, wh: string, txy: string, twh: string, axis: number): string {
  const half = (v: string) => e.op1('Mul', [v, e.scalar(0.5)]);
  const [p1, p2] = [e.op1('Sub', [xy, half(wh)]), e.op1('Add', [xy, half(wh)])];
  const [t1, t2] = [e.op1('Sub', [txy, half(twh)]), e.op1('Add', [txy, half(twh)])];
  const split = (v: string) => e.op('Split', [v, e.ints([1, 1])], { axis }, 2) as [string, string];
  const product = (v: string) => { const [a, b] = split(v); return e.op1('Mul', [a, b]); };
  const squares = (v: string) => { const [a, b] = split(v); return e.op1('Add', [e.op1('Mul', [a, a]), e.op1('Mul', [b, b])]); };
  const inter = product(e.op1('Relu', [e.op1('Sub', [e.op1('Min', [p2, t2]), e.op1('Max', [p1, t1])])]));
  const union = e.op1('Add', [e.op1('Sub', [e.op1('Add', [product(wh), product(twh)]), inter]), e.scalar(EPS)]);
  const iou = e.op1('Div', [inter, union]);
  const c2 = e.op1('Add', [squares(e.op1('Sub', [e.op1('Max', [p2, t2]), e.op1('Min', [p1, t1])])), e.scalar(EPS)]);
  const rho2 = squares(e.op1('Sub', [xy, txy]));
  const aspect = (v: string) => { const [w, h] = split(v); return e.op1('Atan', [e.op1('Div', [w, e.op1('Add', [h, e.scalar(EPS)])])]); };
  const d = e.op1('Sub', [aspect(twh), aspect(wh)]);
  const v = e.op1('Mul', [e.op1('Mul', [d, d]), e.scalar(4 / Math.PI ** 2)]);
  const alpha = e.op1('Div', [v, e.op1('Add', [e.op1('Sub', [v, iou]), e.scalar(1 + EPS)])]);
  return e.op1('Sub', [e.op1('Sub', [iou, e.op1('Div', [rho2, c2])]), e.op1('Mul', [alpha, v])]);
}
