// A small seeded PRNG (mulberry32): deterministic initialisation, fuzzing and generated benchmark inputs.
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** He initialisation, uniform: n values in (-a, a) with a = sqrt(6 / fanIn), the variance of 2 / fanIn. */
export function heUniform(n: number, fanIn: number, rnd: () => number): Float32Array {
  const a = Math.sqrt(2 / fanIn) * Math.sqrt(3);
  return new Float32Array(n).map(() => (rnd() * 2 - 1) * a);
}
