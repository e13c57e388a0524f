// Calibration `percentile X` (99.99 by default): the upper edge of the bin where the cumulative count of
// |x| reaches X%, so the rarest (100 − X)% of values are clipped rather than stretching the scale.
import type { CalibrationMethod } from './types.ts';

export const DEFAULT_PERCENTILE = 99.99;

export const method: CalibrationMethod = {
  id: 'percentile',
  summary: `The X-th percentile of |x| (X = ${DEFAULT_PERCENTILE} unless given).`,
  amax(h, opts) {
    const p = opts.percentile ?? DEFAULT_PERCENTILE;
    if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p} is not in (0, 100]`);
    if (h.total === 0 || h.width === 0) return h.max;
    const target = (h.total * p) / 100;
    let cum = 0;
    for (let i = 0; i < h.counts.length; i++) {
      cum += h.counts[i]!;
      if (cum >= target) return Math.min(h.max, (i + 1) * h.width);
    }
    return h.max;
  },
};
