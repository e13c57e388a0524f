// 2-D MaxPool (with Indices) and AveragePool over NCHW; global average and max pools over any spatial rank.
import { window2d, type Window } from './conv.ts';
import type { Attrs } from '../../../src/onnx/attrs.ts';
import { size, type Op, type T64 } from './tensor.ts';

/** Output length of a pooled axis; with ceil_mode the last window must start inside the input or its
 * leading pad (onnxruntime and PyTorch drop one that starts in the trailing pad). */
function outLen(n: number, k: number, s: number, d: number, p0: number, p1: number, ceil: boolean): number {
  const span = n + p0 + p1 - ((k - 1) * d + 1);
  let o = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (o - 1) * s >= n + p0) o--;
  return o;
}

function geometry(x: T64, at: Attrs): { w: Window; N: number; C: number; H: number; W: number; OH: number; OW: number } {
  if (x.dims.length !== 4) throw new Error(`2-D pooling wants NCHW input, got [${x.dims}]`);
  const [N, C, H, W] = x.dims as [number, number, number, number];
  const [kh, kw] = at.ints('kernel_shape') ?? [];
  const w = window2d(at, H, W, kh!, kw!), ceil = at.int('ceil_mode', 0) === 1;
  return { w, N, C, H, W, OH: outLen(H, w.kh, w.sh, w.dh, w.pt, w.pb, ceil), OW: outLen(W, w.kw, w.sw, w.dw, w.pl, w.pr, ceil) };
}

export const MaxPool: Op = ([x], at) => {
  const { w, N, C, H, W, OH, OW } = geometry(x!, at), X = x!.data;
  const dims = [N, C, OH, OW], y = { dims, data: new Float64Array(size(dims)) }, ix = { dims, data: new Float64Array(size(dims)) };
  for (let nc = 0, o = 0; nc < N * C; nc++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, o++) {
        let best = -Infinity, arg = -1;
        for (let i = 0; i < w.kh; i++) {
          const h = oh * w.sh - w.pt + i * w.dh;
          if (h < 0 || h >= H) continue;
          for (let j = 0; j < w.kw; j++) {
            const v = ow * w.sw - w.pl + j * w.dw, k = (nc * H + h) * W + v;
            if (v >= 0 && v < W && (arg < 0 || X[k]! > best)) { best = X[k]!; arg = k; }
          }
        }
        y.data[o] = best; ix.data[o] = arg;
      }
    }
  }
  return [y, ix];
};

export const AveragePool: Op = ([x], at) => {
  const { w, N, C, H, W, OH, OW } = geometry(x!, at), X = x!.data, include = at.int('count_include_pad', 0) === 1;
  const dims = [N, C, OH, OW], y = { dims, data: new Float64Array(size(dims)) };
  for (let nc = 0, o = 0; nc < N * C; nc++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, o++) {
        let s = 0, valid = 0, padded = 0;
        for (let i = 0; i < w.kh; i++) {
          const h = oh * w.sh - w.pt + i * w.dh;
          for (let j = 0; j < w.kw; j++) {
            const v = ow * w.sw - w.pl + j * w.dw;
            // positions inside the padded input count when count_include_pad; ceil_mode overhang never does
            if (h < H + w.pb && v < W + w.pr) padded++;
            if (h >= 0 && h < H && v >= 0 && v < W) { s += X[(nc * H + h) * W + v]!; valid++; }
          }
        }
        y.data[o] = s / (include ? padded : valid);
      }
    }
  }
  return [y];
};

function global(x: T64, max: boolean): T64 {
  const [N, C] = x.dims as [number, number], S = size(x.dims.slice(2)), X = x.data;
  const y = { dims: [N, C, ...x.dims.slice(2).map(() => 1)], data: new Float64Array(N * C) };
  for (let nc = 0; nc < N * C; nc++) {
    let s = max ? -Infinity : 0;
    for (let k = nc * S; k < (nc + 1) * S; k++) s = max ? Math.max(s, X[k]!) : s + X[k]!;
    y.data[nc] = max ? s : s / S;
  }
  return y;
}

export const GlobalAveragePool: Op = ([x]) => [global(x!, false)];
export const GlobalMaxPool: Op = ([x]) => [global(x!, true)];
