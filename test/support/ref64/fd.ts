// Finite differences for gradient checks.

/** d f / d data[i] for each i in `indices`, by central differences (f(x+eps) - f(x-eps)) / 2eps; data[i] is
 * perturbed in place and restored. */
export function centralDifference(f: () => number, data: Float64Array, indices: number[], eps = 1e-6): Float64Array {
  const g = new Float64Array(indices.length);
  indices.forEach((i, k) => {
    const v = data[i]!;
    data[i] = v + eps;
    const up = f();
    data[i] = v - eps;
    const down = f();
    data[i] = v;
    g[k] = (up - down) / (2 * eps);
  });
  return g;
}

/** ||a - b||_2 / max(||b||_2, 1e-12). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`relativeError: lengths ${a.length} and ${b.length} differ`);
  let d = 0, n = 0;
  for (let i = 0; i < a.length; i++) { d += (a[i]! - b[i]!) ** 2; n += b[i]! ** 2; }
  return Math.sqrt(d) / Math.max(Math.sqrt(n), 1e-12);
}
