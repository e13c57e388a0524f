// Resize over the last two axes (H, W): nearest (all four nearest_modes) and linear, with the half_pixel,
// pytorch_half_pixel, align_corners, asymmetric and tf_half_pixel_for_nn coordinate transforms.
import type { Attrs } from '../../../src/onnx/attrs.ts';
import { size, type Op } from './tensor.ts';

/** The input coordinate (before rounding or interpolation) of output position `o`. */
function source(mode: string, o: number, n: number, m: number, scale: number): number {
  switch (mode) {
    case 'half_pixel': return (o + 0.5) / scale - 0.5;
    case 'pytorch_half_pixel': return m > 1 ? (o + 0.5) / scale - 0.5 : 0;
    case 'align_corners': return m === 1 ? 0 : (o * (n - 1)) / (m - 1);
    case 'asymmetric': return o / scale;
    case 'tf_half_pixel_for_nn': return (o + 0.5) / scale;
    default: throw new Error(`Resize: coordinate_transformation_mode '${mode}' is not implemented`);
  }
}

function nearest(mode: string, x: number): number {
  switch (mode) {
    case 'round_prefer_floor': return x === Math.floor(x) + 0.5 ? Math.floor(x) : Math.round(x);
    case 'round_prefer_ceil': return Math.round(x);
    case 'floor': return Math.floor(x);
    case 'ceil': return Math.ceil(x);
    default: throw new Error(`Resize: nearest_mode '${mode}' is not implemented`);
  }
}

/** Per output position along one axis: the two input positions read and the weight of the second. */
function axisTaps(at: Attrs, n: number, m: number, scale: number): { i0: Int32Array; i1: Int32Array; w: Float64Array } {
  const mode = at.string('mode', 'nearest'), ct = at.string('coordinate_transformation_mode', 'half_pixel');
  const nm = at.string('nearest_mode', 'round_prefer_floor');
  const i0 = new Int32Array(m), i1 = new Int32Array(m), w = new Float64Array(m);
  for (let o = 0; o < m; o++) {
    const x = source(ct, o, n, m, scale);
    if (mode === 'nearest') {
      i0[o] = i1[o] = Math.min(Math.max(nearest(nm, x), 0), n - 1);
    } else if (mode === 'linear') {
      const c = Math.min(Math.max(x, 0), n - 1), f = Math.floor(c);
      i0[o] = f; i1[o] = Math.min(f + 1, n - 1); w[o] = c - f;
    } else throw new Error(`Resize: mode '${mode}' is not implemented`);
  }
  return { i0, i1, w };
}

export const Resize: Op = ([x, , sc, sz], at) => {
  const d = x!.dims, r = d.length, H = d[r - 2]!, W = d[r - 1]!;
  const scales = sc && sc.data.length ? Array.from(sc.data) : undefined;
  const dims = sz && sz.data.length ? Array.from(sz.data) : d.map((n, i) => Math.floor(n * scales![i]!));
  if (dims.some((n, i) => i < r - 2 && n !== d[i])) throw new Error(`Resize: only the last two axes may change ([${d}] to [${dims}])`);
  const OH = dims[r - 2]!, OW = dims[r - 1]!;
  const th = axisTaps(at, H, OH, scales ? scales[r - 2]! : OH / H), tw = axisTaps(at, W, OW, scales ? scales[r - 1]! : OW / W);
  const planes = size(d.slice(0, -2)), X = x!.data, Y = new Float64Array(planes * OH * OW);
  for (let p = 0, o = 0; p < planes; p++) {
    const base = p * H * W;
    for (let i = 0; i < OH; i++) {
      const r0 = base + th.i0[i]! * W, r1 = base + th.i1[i]! * W, a = th.w[i]!;
      for (let j = 0; j < OW; j++, o++) {
        const c0 = tw.i0[j]!, c1 = tw.i1[j]!, b = tw.w[j]!;
        const top = X[r0 + c0]! * (1 - b) + X[r0 + c1]! * b, bottom = X[r1 + c0]! * (1 - b) + X[r1 + c1]! * b;
        Y[o] = top * (1 - a) + bottom * a;
      }
    }
  }
  return [{ dims, data: Y }];
};
