// Gradient clipping by global norm, and the guard against non-finite steps: a step whose loss or gradient
// norm is NaN or infinite is not applied, so the weights stay the last good ones.

/** The global L2 norm of all gradients (float64 accumulation: sums of millions of squares). */
export function gradNorm(grads: Map<string, Float32Array>): number {
  let s = 0;
  for (const g of grads.values()) for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
  return Math.sqrt(s);
}

/** Scales all gradients so their global norm is at most `max`; returns the norm before clipping. */
export function clipGradNorm(grads: Map<string, Float32Array>, max: number): number {
  const norm = gradNorm(grads);
  if (Number.isFinite(norm) && norm > max) {
    const k = max / norm;
    for (const g of grads.values()) for (let i = 0; i < g.length; i++) g[i] = g[i]! * k;
  }
  return norm;
}
