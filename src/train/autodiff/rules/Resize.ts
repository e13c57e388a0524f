// Resize (nearest or linear, over H and W): a separable linear map Y = A_h · X · A_wᵀ, so
// dX = A_hᵀ · dY · A_w with the interpolation matrices built here from the node's modes. An integer nearest
// upsample (YOLO's ×2) is cheaper as a sum over each output block.
import { AutodiffError, type GradContext, type GradRule } from '../types.ts';

/** Where output o samples the input axis, as onnxruntime computes it. */
function source(o: number, inLen: number, outLen: number, scale: number, ctm: string): number {
  switch (ctm) {
    case 'asymmetric': return o / scale;
    case 'align_corners': return outLen === 1 ? 0 : (o * (inLen - 1)) / (outLen - 1);
    case 'pytorch_half_pixel': return outLen > 1 ? (o + 0.5) / scale - 0.5 : 0;
    default: return (o + 0.5) / scale - 0.5; // half_pixel
  }
}

const NEAREST: Record<string, (x: number) => number> = {
  floor: Math.floor, ceil: Math.ceil, round_prefer_ceil: (x) => Math.round(x),
  round_prefer_floor: (x) => (Number.isInteger(x - 0.5) ? Math.floor(x) : Math.round(x)),
};

/** A [outLen, inLen] interpolation matrix. */
export function resizeMatrix(inLen: number, outLen: number, scale: number, mode: string, ctm: string, nearest: string): Float32Array {
  const m = new Float32Array(outLen * inLen);
  for (let o = 0; o < outLen; o++) {
    const x = source(o, inLen, outLen, scale, ctm);
    if (mode === 'nearest') {
      m[o * inLen + Math.min(Math.max(NEAREST[nearest]!(x), 0), inLen - 1)] = 1;
      continue;
    }
    const c = Math.min(Math.max(x, 0), inLen - 1);
    const lo = Math.floor(c);
    m[o * inLen + lo] += 1 - (c - lo);
    m[o * inLen + Math.min(lo + 1, inLen - 1)] += c - lo;
  }
  return m;
}

function scales(ctx: GradContext, inShape: number[], outShape: number[]): number[] {
  const s = ctx.node.input[2] ? ctx.constant(ctx.node.input[2]) : undefined;
  return s?.length ? s : outShape.map((d, k) => d / inShape[k]!);
}

export const Resize: GradRule = {
  op: 'Resize',
  grad(ctx) {
    const x = ctx.node.input[0]!;
    const [n, c, h, w] = ctx.shape(x) as [number, number, number, number];
    const [, , oh, ow] = ctx.shape(ctx.node.output[0]!) as [number, number, number, number];
    const mode = ctx.attrs.string('mode', 'nearest');
    const ctm = ctx.attrs.string('coordinate_transformation_mode', 'half_pixel');
    const nearest = ctx.attrs.string('nearest_mode', 'round_prefer_floor');
    if (mode === 'cubic' || ctx.shape(ctx.node.output[0]!)[1] !== c) throw new AutodiffError(`node '${ctx.node.name}' (Resize): training supports nearest and linear resizing over H and W only`);
    const e = ctx.emit;
    const [, , fh, fw] = scales(ctx, [n, c, h, w], [n, c, oh, ow]);
    const dy = ctx.dy()!;
    if (mode === 'nearest' && ctm === 'asymmetric' && nearest === 'floor' && oh % h === 0 && ow % w === 0 && fh === oh / h && fw === ow / w) {
      const blocks = e.op1('Reshape', [dy, e.ints([n, c, h, oh / h, w, ow / w])]);
      return [e.op1('ReduceSum', [blocks, e.ints([3, 5])], { keepdims: 0 })];
    }
    const ah = resizeMatrix(h, oh, fh!, mode, ctm, nearest);
    const aw = resizeMatrix(w, ow, fw!, mode, ctm, nearest);
    const ahT = new Float32Array(h * oh);
    for (let o = 0; o < oh; o++) for (let q = 0; q < h; q++) ahT[q * oh + o] = ah[o * h + q]!;
    const rows = e.op1('MatMul', [dy, e.floats(aw, [ow, w])]);
    return [e.op1('MatMul', [e.floats(ahT, [h, oh]), rows])];
  },
};
