// Per-channel entropy over images (Luo & Wu 2017): each image reduces a channel's map to its mean (global
// average pooling), and the entropy of the histogram of those means over the calibration images (BINS bins
// over their range) says how much the channel's response varies with the image. Divided by log BINS, it lies
// in [0, 1] for every layer. A channel that answers every image alike (dead, saturated, or a constant offset)
// scores 0; one that responds to what an image holds scores high, however sparse its map: a histogram of
// every activation value instead (lithe's first version) ranks sparse detectors (edges, small objects: mostly
// zero, rarely large) below diffuse background channels.
import type { Accumulator } from './features.ts';

/** 64 calibration images by default: 16 bins keep about four per bin. */
export const BINS = 16;

export class ImageMeanEntropy implements Accumulator<Float32Array> {
  /** Per channel, the mean of its map on each image seen. */
  private readonly means: number[][];

  constructor(private readonly channels: number) {
    this.means = Array.from({ length: channels }, () => []);
  }

  add(data: Float32Array, dims: readonly number[]): void {
    const [n, c, ...space] = dims as number[];
    const hw = space.reduce((a, d) => a * d, 1);
    for (let i = 0; i < n!; i++) {
      for (let k = 0; k < c!; k++) {
        let sum = 0;
        const at = (i * c! + k) * hw;
        for (let j = at; j < at + hw; j++) sum += data[j]!;
        if (Number.isFinite(sum)) this.means[k]!.push(sum / hw); // a map with NaN or ±Infinity is not counted
      }
    }
  }

  result(): Float32Array {
    return Float32Array.from(this.means, (m) => entropy(m) / Math.log(BINS));
  }
}

/** The entropy of a histogram of `values` in BINS equal bins over their range; 0 when they are all equal. */
function entropy(values: readonly number[]): number {
  if (values.length < 2) return 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  // equal up to float32 rounding: the channel does not vary
  if (hi - lo <= 1e-6 * Math.max(1, Math.abs(lo), Math.abs(hi))) return 0;
  const counts = new Float64Array(BINS);
  for (const v of values) counts[Math.min(BINS - 1, Math.floor(((v - lo) / (hi - lo)) * BINS))]!++;
  let h = 0;
  for (const n of counts) if (n > 0) h -= (n / values.length) * Math.log(n / values.length);
  return h;
}
