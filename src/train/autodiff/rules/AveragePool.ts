// AveragePool (2-D): each output's gradient, divided by the number of elements its window averaged, spread
// back over the window: a depthwise ConvTranspose with a kernel of ones. The divisors are constants worked out
// here, so count_include_pad and windows cut by padding are exact.
import { AutodiffError, type GradRule } from '../types.ts';

export const AveragePool: GradRule = {
  op: 'AveragePool',
  grad(ctx) {
    const a = ctx.attrs;
    const [, c, h, w] = ctx.shape(ctx.node.input[0]!) as [number, number, number, number];
    const [, , oh, ow] = ctx.shape(ctx.node.output[0]!) as [number, number, number, number];
    const [kh, kw] = a.ints('kernel_shape') ?? [];
    if (kh === undefined || kw === undefined || a.int('ceil_mode', 0) || a.string('auto_pad', 'NOTSET') !== 'NOTSET') {
      throw new AutodiffError(`node '${ctx.node.name}' (AveragePool): training needs a 2-D kernel, explicit pads and ceil_mode 0`);
    }
    const [sh, sw] = a.ints('strides') ?? [1, 1];
    const [pt, pl, pb, pr] = a.ints('pads') ?? [0, 0, 0, 0];
    const include = a.int('count_include_pad', 0) === 1;
    const count = new Float32Array(oh * ow);
    for (let y = 0; y < oh; y++) {
      for (let x = 0; x < ow; x++) {
        const span = (o: number, s: number, k: number, p: number, len: number) => (include ? k : Math.min(o * s - p + k, len) - Math.max(o * s - p, 0));
        count[y * ow + x] = 1 / (span(y, sh!, kh, pt!, h) * span(x, sw!, kw, pl!, w));
      }
    }
    const e = ctx.emit;
    const scaled = e.op1('Mul', [ctx.dy()!, e.floats(count, [1, 1, oh, ow])]);
    const extra = (len: number, o: number, s: number, k: number, p0: number, p1: number) => len + p0 + p1 - ((o - 1) * s + k);
    return [e.op1('ConvTranspose', [scaled, e.floats(new Float32Array(c * kh * kw).fill(1), [c, 1, kh, kw])], {
      group: c, kernel_shape: [kh, kw], strides: [sh!, sw!], pads: [pt!, pl!, pb!, pr!],
      output_padding: [extra(h, oh, sh!, kh, pt!, pb!), extra(w, ow, sw!, kw, pl!, pr!)],
    })];
  },
};
