// 2-D Conv and ConvTranspose (NCHW, groups, strides, pads, dilations), and the window geometry pools share.
import type { Attrs } from '../../../src/onnx/attrs.ts';
import { size, type Op } from './tensor.ts';

export interface Window { kh: number; kw: number; sh: number; sw: number; dh: number; dw: number; pt: number; pl: number; pb: number; pr: number }

/** Strides, dilations and pads of a 2-D window over an H x W input, auto_pad included. */
export function window2d(at: Attrs, H: number, W: number, kh: number, kw: number): Window {
  const [sh, sw] = at.ints('strides') ?? [1, 1], [dh, dw] = at.ints('dilations') ?? [1, 1];
  let [pt, pl, pb, pr] = at.ints('pads') ?? [0, 0, 0, 0];
  const auto = at.string('auto_pad', 'NOTSET');
  if (auto === 'VALID') [pt, pl, pb, pr] = [0, 0, 0, 0];
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    const total = (n: number, k: number, s: number, d: number) => Math.max(0, (Math.ceil(n / s) - 1) * s + (k - 1) * d + 1 - n);
    const th = total(H, kh, sh!, dh!), tw = total(W, kw, sw!, dw!);
    const lo = (t: number) => (auto === 'SAME_UPPER' ? Math.floor(t / 2) : t - Math.floor(t / 2));
    [pt, pl, pb, pr] = [lo(th), lo(tw), th - lo(th), tw - lo(tw)];
  }
  return { kh, kw, sh: sh!, sw: sw!, dh: dh!, dw: dw!, pt: pt!, pl: pl!, pb: pb!, pr: pr! };
}

export const Conv: Op = ([x, w, bias], at) => {
  const [N, C, H, W] = x!.dims as [number, number, number, number], [M, Cg, kh, kw] = w!.dims as [number, number, number, number];
  const G = at.int('group', 1), Mg = M / G;
  if (x!.dims.length !== 4 || Cg * G !== C) throw new Error(`Conv: input [${x!.dims}] and weight [${w!.dims}] do not match for group ${G}`);
  const { sh, sw, dh, dw, pt, pl, pb, pr } = window2d(at, H, W, kh, kw);
  const OH = Math.floor((H + pt + pb - dh * (kh - 1) - 1) / sh) + 1, OW = Math.floor((W + pl + pr - dw * (kw - 1) - 1) / sw) + 1;
  const y = { dims: [N, M, OH, OW], data: new Float64Array(N * M * OH * OW) }, X = x!.data, Wd = w!.data, Y = y.data;
  for (let n = 0; n < N; n++) {
    for (let m = 0; m < M; m++) {
      const g = Math.floor(m / Mg), yo = (n * M + m) * OH * OW, b = bias ? bias.data[m]! : 0;
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          let s = b;
          for (let c = 0; c < Cg; c++) {
            const xo = (n * C + g * Cg + c) * H * W, wo = (m * Cg + c) * kh * kw;
            for (let i = 0; i < kh; i++) {
              const h = oh * sh - pt + i * dh;
              if (h < 0 || h >= H) continue;
              for (let j = 0; j < kw; j++) {
                const v = ow * sw - pl + j * dw;
                if (v >= 0 && v < W) s += X[xo + h * W + v]! * Wd[wo + i * kw + j]!;
              }
            }
          }
          Y[yo + oh * OW + ow] = s;
        }
      }
    }
  }
  return [y];
};

export const ConvTranspose: Op = ([x, w, bias], at) => {
  const [N, C, H, W] = x!.dims as [number, number, number, number], [, Mg, kh, kw] = w!.dims as [number, number, number, number];
  const G = at.int('group', 1), Cg = C / G, M = Mg * G;
  if (at.has('output_shape') || at.string('auto_pad', 'NOTSET') !== 'NOTSET') throw new Error('ConvTranspose: output_shape and auto_pad are not implemented');
  const [sh, sw] = at.ints('strides') ?? [1, 1], [dh, dw] = at.ints('dilations') ?? [1, 1];
  const [pt, pl, pb, pr] = at.ints('pads') ?? [0, 0, 0, 0], [oph, opw] = at.ints('output_padding') ?? [0, 0];
  const OH = sh! * (H - 1) + oph! + (kh - 1) * dh! + 1 - pt! - pb!, OW = sw! * (W - 1) + opw! + (kw - 1) * dw! + 1 - pl! - pr!;
  const y = { dims: [N, M, OH, OW], data: new Float64Array(size([N, M, OH, OW])) }, X = x!.data, Wd = w!.data, Y = y.data;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const g = Math.floor(c / Cg), xo = (n * C + c) * H * W;
      for (let m = 0; m < Mg; m++) {
        const yo = (n * M + g * Mg + m) * OH * OW, wo = (c * Mg + m) * kh * kw;
        for (let ih = 0; ih < H; ih++) {
          for (let iw = 0; iw < W; iw++) {
            const v = X[xo + ih * W + iw]!;
            for (let i = 0; i < kh; i++) {
              const oh = ih * sh! - pt! + i * dh!;
              if (oh < 0 || oh >= OH) continue;
              for (let j = 0; j < kw; j++) {
                const ow = iw * sw! - pl! + j * dw!;
                if (ow >= 0 && ow < OW) Y[yo + oh * OW + ow]! += v * Wd[wo + i * kw + j]!;
              }
            }
          }
        }
      }
    }
  }
  if (bias) for (let n = 0; n < N; n++) for (let m = 0; m < M; m++) for (let k = 0, o = (n * M + m) * OH * OW; k < OH * OW; k++) Y[o + k]! += bias.data[m]!;
  return [y];
};
