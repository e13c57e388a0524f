// Slice: with unit steps the gradient is padded back with zeros; with other steps (YOLOv5's Focus takes
// every second pixel) it is scattered into a zero tensor at flat indices worked out here, since shapes and
// slice bounds are constants.
import { AutodiffError, type GradContext, type GradRule } from '../types.ts';
import { numel } from '../common.ts';
import { sliceBounds } from '../../../onnx/shape/common.ts';

/** The input indices each output position reads, per axis. */
function taken(ctx: GradContext): number[][] {
  const [x, starts, ends, axesIn, stepsIn] = ctx.node.input;
  const shape = ctx.shape(x!);
  const constant = (v: string | undefined, what: string) => {
    const c = v ? ctx.constant(v) : undefined;
    if (v && !c) throw new AutodiffError(`node '${ctx.node.name}' (Slice): its ${what} must be constants for training`);
    return c;
  };
  const st = constant(starts, 'starts')!;
  const en = constant(ends, 'ends')!;
  const axes = constant(axesIn, 'axes') ?? st.map((_, j) => j);
  const steps = constant(stepsIn, 'steps') ?? st.map(() => 1);
  const per = shape.map((d) => Array.from({ length: d }, (_, j) => j));
  axes.forEach((a0, j) => {
    const a = a0 < 0 ? a0 + shape.length : a0;
    const d = shape[a]!;
    const step = steps[j]!;
    const [s, e] = sliceBounds(st[j]!, en[j]!, step, d);
    const idx: number[] = [];
    for (let v = s; step > 0 ? v < e : v > e; v += step) idx.push(v);
    per[a] = idx;
  });
  return per;
}

export const Slice: GradRule = {
  op: 'Slice',
  grad(ctx) {
    const e = ctx.emit;
    const x = ctx.node.input[0]!;
    const shape = ctx.shape(x);
    const per = taken(ctx);
    const contiguous = per.every((idx) => idx.every((v, k) => !k || v === idx[k - 1]! + 1));
    if (contiguous) {
      const pads = [...per.map((idx) => idx[0] ?? 0), ...per.map((idx, a) => shape[a]! - (idx.length ? idx[idx.length - 1]! + 1 : 0))];
      return [e.op1('Pad', [ctx.dy()!, e.ints(pads)])];
    }
    const strides = shape.map((_, a) => numel(shape.slice(a + 1)));
    const out = per.map((idx) => idx.length);
    const flat = new BigInt64Array(numel(out));
    for (let lin = 0; lin < flat.length; lin++) {
      let rem = lin;
      let off = 0;
      for (let a = out.length - 1; a >= 0; a--) {
        off += per[a]![rem % out[a]!]! * strides[a]!;
        rem = Math.floor(rem / out[a]!);
      }
      flat[lin] = BigInt(off);
    }
    const zeros = e.op1('ConstantOfShape', [e.ints([numel(shape)])]);
    const dy = e.op1('Reshape', [ctx.dy()!, e.ints([-1])]);
    const scattered = e.op1('ScatterElements', [zeros, e.indices(flat, [flat.length]), dy], { axis: 0, reduction: 'add' });
    return [e.op1('Reshape', [scattered, e.ints(shape)])];
  },
};
