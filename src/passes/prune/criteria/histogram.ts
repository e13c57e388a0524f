// Per-channel histograms of every activation value, in one streaming pass: each channel's range starts as
// its first batch's and doubles (merging bins in pairs, so counts stay exact) whenever a later value falls
// outside. The entropy of a histogram of B bins is divided by log B, so it lies in [0, 1] for every layer.
import type { Accumulator } from './features.ts';

export const BINS = 64;

export class ChannelHistograms implements Accumulator<Float32Array> {
  private lo: Float64Array;
  private width: Float64Array;
  private readonly counts: Float64Array;

  constructor(private readonly channels: number) {
    this.lo = new Float64Array(channels).fill(NaN);
    this.width = new Float64Array(channels);
    this.counts = new Float64Array(channels * BINS);
  }

  add(data: Float32Array, dims: readonly number[]): void {
    const [n, c, ...space] = dims as number[];
    const hw = space.reduce((a, d) => a * d, 1);
    for (let k = 0; k < c!; k++) {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < n!; i++) {
        const at = (i * c! + k) * hw;
        for (let j = at; j < at + hw; j++) { const x = data[j]!; if (x < min && x > -Infinity) min = x; if (x > max && x < Infinity) max = x; }
      }
      if (!Number.isFinite(min) || !Number.isFinite(max)) continue; // no finite value: nothing to count
      this.cover(k, min, max);
      const [lo, w, base] = [this.lo[k]!, this.width[k]!, k * BINS];
      for (let i = 0; i < n!; i++) {
        const at = (i * c! + k) * hw;
        for (let j = at; j < at + hw; j++) {
          const bin = Math.floor((data[j]! - lo) / w);
          if (bin >= 0) this.counts[base + Math.min(BINS - 1, bin)]!++; // NaN and -Infinity are not counted
        }
      }
    }
  }

  /** Widens channel k's range to hold [min, max]. */
  private cover(k: number, min: number, max: number): void {
    if (Number.isNaN(this.lo[k]!)) {
      this.lo[k] = min;
      this.width[k] = Math.max(max - min, 1e-6 * Math.max(1, Math.abs(min))) / BINS;
      return;
    }
    const bins = this.counts.subarray(k * BINS, (k + 1) * BINS);
    while (min < this.lo[k]! || max >= this.lo[k]! + this.width[k]! * BINS) {
      const down = min < this.lo[k]!;
      const merged = new Float64Array(BINS);
      // doubling downwards, old bin i becomes new bin (BINS + i) / 2; upwards, i / 2
      bins.forEach((v, i) => { merged[Math.floor(((down ? BINS : 0) + i) / 2)]! += v; });
      bins.set(merged);
      if (down) this.lo[k]! -= this.width[k]! * BINS;
      this.width[k]! *= 2;
    }
  }

  result(): Float32Array {
    return Float32Array.from({ length: this.channels }, (_, k) => {
      const bins = this.counts.subarray(k * BINS, (k + 1) * BINS);
      const total = bins.reduce((a, v) => a + v, 0);
      let h = 0;
      for (const v of bins) if (v > 0) h -= (v / total) * Math.log(v / total);
      return total ? h / Math.log(BINS) : 0;
    });
  }
}
