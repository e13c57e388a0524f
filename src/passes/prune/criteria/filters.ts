// A group's filters as rows: row c is channel c's output filter of every producer, one after another (a
// residual group's channel is made by several convolutions). Weight-based criteria read these rows.
import type { PruneGroup } from '../dependency/types.ts';
import type { ScoreContext } from './types.ts';

export function filterRows(group: PruneGroup, ctx: ScoreContext): Float32Array[] {
  const parts = group.producers.map((p) => {
    const w = ctx.weights(p.weight);
    const dims = ctx.graph.initializers.get(p.weight)!.dims.map(Number);
    const inner = dims.slice(p.axis + 1).reduce((a, d) => a * d, 1);
    const outer = dims.slice(0, p.axis).reduce((a, d) => a * d, 1);
    // channel c: `outer` runs of `inner` values (one run when the output axis is axis 0)
    return { w, inner, outer, stride: dims[p.axis]! * inner };
  });
  const length = parts.reduce((a, p) => a + p.inner * p.outer, 0);
  return Array.from({ length: group.channels }, (_, c) => {
    const row = new Float32Array(length);
    let o = 0;
    for (const p of parts) {
      for (let k = 0; k < p.outer; k++, o += p.inner) row.set(p.w.subarray(k * p.stride + c * p.inner, k * p.stride + (c + 1) * p.inner), o);
    }
    return row;
  });
}

/** Σ |γ| over the producers that have a BN, per channel; undefined when none has. */
export function bnScale(group: PruneGroup, ctx: ScoreContext): Float32Array | undefined {
  const bns = group.producers.flatMap((p) => (p.bn ? [ctx.weights(p.bn.gamma)] : []));
  if (!bns.length) return undefined;
  return Float32Array.from({ length: group.channels }, (_, c) => bns.reduce((a, g) => a + Math.abs(g[c]!), 0));
}

export const l1Norms = (rows: Float32Array[]): Float32Array => Float32Array.from(rows, (r) => r.reduce((a, x) => a + Math.abs(x), 0));
export const l2Norms = (rows: Float32Array[]): Float32Array => Float32Array.from(rows, (r) => Math.sqrt(r.reduce((a, x) => a + x * x, 0)));

export function distance(a: Float32Array, b: Float32Array | Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) { const d = a[i]! - b[i]!; s += d * d; }
  return Math.sqrt(s);
}
