// BatchNormalization (inference, and training_mode with batch statistics) and Softmax.
import { axis, size, type Op } from './tensor.ts';

export const BatchNormalization: Op = ([x, scale, bias, mean, variance], at) => {
  const [N, C] = x!.dims as [number, number], S = size(x!.dims.slice(2)), X = x!.data;
  const eps = at.float('epsilon', 1e-5), mom = at.float('momentum', 0.9), train = at.int('training_mode', 0) === 1;
  const mu = Float64Array.from(mean!.data), v = Float64Array.from(variance!.data);
  if (train) {
    // batch statistics over N and the spatial axes; the variance is biased (divides by the count)
    const cnt = N * S;
    for (let c = 0; c < C; c++) {
      let s = 0, q = 0;
      for (let n = 0; n < N; n++) for (let k = (n * C + c) * S, e = k + S; k < e; k++) s += X[k]!;
      const m = s / cnt;
      for (let n = 0; n < N; n++) for (let k = (n * C + c) * S, e = k + S; k < e; k++) q += (X[k]! - m) ** 2;
      mu[c] = m; v[c] = q / cnt;
    }
  }
  const y = { dims: [...x!.dims], data: new Float64Array(X.length) };
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const a = scale!.data[c]! / Math.sqrt(v[c]! + eps), b = bias!.data[c]! - mu[c]! * a;
      for (let k = (n * C + c) * S, e = k + S; k < e; k++) y.data[k] = X[k]! * a + b;
    }
  }
  if (!train) return [y];
  const running = (r: Float64Array, batch: Float64Array) => ({ dims: [C], data: r.map((p, c) => mom * p + (1 - mom) * batch[c]!) });
  return [y, running(mean!.data, mu), running(variance!.data, v)];
};

export const Softmax: Op = ([x], at) => {
  const r = x!.dims.length, a = axis(at.int('axis', -1), r), X = x!.data;
  const D = x!.dims[a]!, inner = size(x!.dims.slice(a + 1)), outer = size(x!.dims.slice(0, a));
  const y = { dims: [...x!.dims], data: new Float64Array(X.length) }, Y = y.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * D * inner + i;
      let m = -Infinity, s = 0;
      for (let d = 0; d < D; d++) m = Math.max(m, X[base + d * inner]!);
      for (let d = 0; d < D; d++) { const e = Math.exp(X[base + d * inner]! - m); Y[base + d * inner] = e; s += e; }
      for (let d = 0; d < D; d++) Y[base + d * inner]! /= s;
    }
  }
  return [y];
};
