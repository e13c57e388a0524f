// Channel independence from feature maps, in one streaming pass: each map is average-pooled to at most
// GRID x GRID cells (correlations between channels survive pooling, and the C x C sums stay affordable), and
// every cell of every image is one sample of the channel vector. From the sums, Pearson correlations;
// independence(c) = 1 − max_{j≠c} |corr(c, j)|. A constant channel has no correlation to speak of, and no
// information either: its independence is 0.
import type { Accumulator } from './features.ts';

const GRID = 8;

export class ChannelCorrelation implements Accumulator<Float32Array> {
  private readonly sum: Float64Array;
  private readonly gram: Float64Array;
  private samples = 0;

  constructor(private readonly channels: number) {
    this.sum = new Float64Array(channels);
    this.gram = new Float64Array(channels * channels);
  }

  add(data: Float32Array, dims: readonly number[]): void {
    const [n, c, h = 1, w = 1] = dims as number[];
    const [gh, gw] = [Math.min(GRID, h), Math.min(GRID, w)];
    const x = new Float64Array(c!);
    for (let i = 0; i < n!; i++) {
      for (let a = 0; a < gh; a++) {
        for (let b = 0; b < gw; b++) {
          const [y0, y1, x0, x1] = [Math.floor((a * h) / gh), Math.floor(((a + 1) * h) / gh), Math.floor((b * w) / gw), Math.floor(((b + 1) * w) / gw)];
          for (let k = 0; k < c!; k++) {
            const base = (i * c! + k) * h * w;
            let s = 0;
            for (let y = y0; y < y1; y++) for (let xx = x0; xx < x1; xx++) s += data[base + y * w + xx]!;
            x[k] = s / ((y1 - y0) * (x1 - x0));
          }
          this.sample(x);
        }
      }
    }
  }

  private sample(x: Float64Array): void {
    const c = this.channels;
    this.samples++;
    for (let k = 0; k < c; k++) {
      const v = x[k]!;
      this.sum[k]! += v;
      const row = k * c;
      for (let j = k; j < c; j++) this.gram[row + j]! += v * x[j]!;
    }
  }

  result(): Float32Array {
    const [c, n] = [this.channels, Math.max(1, this.samples)];
    const mean = Float64Array.from(this.sum, (s) => s / n);
    const sd = Float64Array.from(mean, (m, k) => Math.sqrt(Math.max(0, this.gram[k * c + k]! / n - m * m)));
    const constant = (k: number) => sd[k]! <= 1e-7 * Math.max(1, Math.abs(mean[k]!));
    const top = new Float64Array(c);
    for (let k = 0; k < c; k++) {
      for (let j = k + 1; j < c; j++) {
        if (constant(k) || constant(j)) continue;
        const r = Math.abs((this.gram[k * c + j]! / n - mean[k]! * mean[j]!) / (sd[k]! * sd[j]!));
        top[k] = Math.max(top[k]!, r);
        top[j] = Math.max(top[j]!, r);
      }
    }
    return Float32Array.from(top, (r, k) => (constant(k) ? 0 : 1 - Math.min(1, r)));
  }
}

/** Without data: the same score from the filters, |cosine| for |correlation|. */
export function filterIndependence(rows: Float32Array[]): Float32Array {
  const norms = rows.map((r) => Math.sqrt(r.reduce((a, v) => a + v * v, 0)));
  const top = new Float64Array(rows.length);
  rows.forEach((a, k) => {
    for (let j = k + 1; j < rows.length; j++) {
      if (!norms[k] || !norms[j]) continue;
      let dot = 0;
      const b = rows[j]!;
      for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
      const r = Math.abs(dot) / (norms[k]! * norms[j]!);
      top[k] = Math.max(top[k]!, r);
      top[j] = Math.max(top[j]!, r);
    }
  });
  return Float32Array.from(top, (r, k) => (norms[k] ? 1 - Math.min(1, r) : 0));
}
