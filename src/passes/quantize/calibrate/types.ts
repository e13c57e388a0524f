// The calibration contract: a method turns the histogram of |x| seen on the calibration images into one
// amax, the clipping threshold of a per-tensor symmetric int8 scale (scale = amax / 127).

/** A histogram of non-zero absolute values: `counts[i]` of them fell in [i·width, (i+1)·width); `max` is exact. */
export interface HistogramView {
  readonly counts: Float64Array;
  readonly width: number;
  readonly max: number;
  readonly total: number;
}

export interface MethodOptions {
  /** The percentile method's X, in (0, 100]. */
  percentile?: number;
}

export interface CalibrationMethod {
  id: string;
  summary: string;
  amax(h: HistogramView, opts: MethodOptions): number;
}

/** The highest non-empty bin plus one: the part of the histogram a threshold search looks at. */
export function usedBins(h: HistogramView): number {
  let n = h.counts.length;
  while (n > 0 && h.counts[n - 1] === 0) n--;
  return n;
}

/** The clipping threshold at the bin edge i in [from, n] where `cost(i)` is least (the first on ties), at most h.max. */
export function cheapestClip(h: HistogramView, from: number, n: number, cost: (i: number) => number): number {
  let best = Infinity;
  let bestI = n;
  for (let i = from; i <= n; i++) {
    const c = cost(i);
    if (c < best) { best = c; bestI = i; }
  }
  return Math.min(h.max, bestI * h.width);
}
