// Calibration `mse`: the threshold that minimises the expected squared error of quantizing |x| with
// scale = amax / 127, over the histogram (each bin's values taken at its centre): rounding error below the
// threshold, clipping error above it. Candidates start at 128 bins, as pytorch-quantization's do, where a
// bin is still narrower than a quantization step and the centre approximation holds.
import { cheapestClip, usedBins, type CalibrationMethod, type HistogramView } from './types.ts';

const START = 128;

function squaredError(c: Float64Array, n: number, width: number, amax: number): number {
  const s = amax / 127;
  let err = 0;
  for (let k = 0; k < n; k++) {
    if (c[k] === 0) continue;
    const x = (k + 0.5) * width;
    const q = Math.min(127, Math.round(x / s)) * s;
    err += c[k]! * (x - q) * (x - q);
  }
  return err;
}

export function mseAmax(h: HistogramView): number {
  const n = usedBins(h);
  if (n <= START || h.width === 0) return h.max;
  return cheapestClip(h, START, n, (i) => squaredError(h.counts, n, h.width, i * h.width));
}

export const method: CalibrationMethod = {
  id: 'mse',
  summary: 'The threshold with the smallest mean squared quantization error (rounding plus clipping).',
  amax: mseAmax,
};
