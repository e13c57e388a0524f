// A streaming histogram of |x| with a fixed number of bins (2048, TensorRT's), so calibration never keeps
// activations: each batch is folded in and dropped. The range starts at the first non-zero batch's max and
// doubles (merging bin pairs) when a later value falls beyond it, so memory stays 2048 counts per tensor
// and no first pass is needed to find the range; after doubling, the used bins are between 1024 and 2048,
// still far finer than the 128 levels a threshold search compares against. Exact zeros (ReLU outputs,
// padding) are counted apart: any scale represents them exactly, so they say nothing about where to clip,
// and a spike of them in the first bin would drown the entropy method's comparison.
import type { HistogramView } from './types.ts';

export const BINS = 2048;

export class AbsHistogram implements HistogramView {
  readonly counts = new Float64Array(BINS);
  width = 0;
  max = 0;
  /** Non-zero values counted. */
  total = 0;
  zeros = 0;

  add(values: ArrayLike<number>): void {
    let m = 0;
    let nan = false;
    for (let i = 0; i < values.length; i++) { const a = Math.abs(values[i]!); if (a > m) m = a; else if (a !== a) nan = true; }
    if (nan || !Number.isFinite(m)) throw new RangeError('a NaN or infinite value');
    if (m === 0) { this.zeros += values.length; return; }
    if (m > this.max) this.max = m;
    if (this.width === 0) this.width = m / BINS;
    while (m > this.width * BINS) this.grow();
    const c = this.counts;
    const inv = 1 / this.width;
    let zeros = 0;
    for (let i = 0; i < values.length; i++) {
      const a = Math.abs(values[i]!);
      if (a === 0) zeros++;
      else c[Math.min(BINS - 1, Math.floor(a * inv))]!++;
    }
    this.zeros += zeros;
    this.total += values.length - zeros;
  }

  /** Twice the range, half the resolution: bin i takes bins 2i and 2i+1. */
  private grow(): void {
    const c = this.counts;
    for (let i = 0; i < BINS / 2; i++) c[i] = c[2 * i]! + c[2 * i + 1]!;
    c.fill(0, BINS / 2);
    this.width *= 2;
  }
}
