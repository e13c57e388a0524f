// Importance criterion `fpgm`: Filters nearest the geometric median of their layer are the most replaceable (FPGM).
// score(c) = ‖F_c − GM‖₂, with F_c channel c's filter row (all producers) and GM the geometric median of the
// rows (He et al. 2019), found by Weiszfeld's iteration from the mean. A filter near the median is what the
// others already express together, so it is the least important.
import type { Criterion } from './types.ts';
import { distance, filterRows } from './filters.ts';

const ITERATIONS = 50;

export function geometricMedian(rows: Float32Array[]): Float64Array {
  const n = rows[0]?.length ?? 0;
  let m = new Float64Array(n);
  for (const r of rows) for (let i = 0; i < n; i++) m[i]! += r[i]! / rows.length;
  for (let it = 0; it < ITERATIONS; it++) {
    const next = new Float64Array(n);
    let total = 0;
    for (const r of rows) {
      // a row on the current estimate would divide by zero: it pulls with a large, finite weight
      const w = 1 / Math.max(distance(r, m), 1e-12);
      total += w;
      for (let i = 0; i < n; i++) next[i]! += w * r[i]!;
    }
    for (let i = 0; i < n; i++) next[i]! /= total;
    m = next;
  }
  return m;
}

export const criterion: Criterion = {
  id: 'fpgm',
  summary: "Filters nearest the geometric median of their layer are the most replaceable (FPGM).",
  needsData: false,
  comparable: false,
  score: async (group, ctx) => {
    const rows = filterRows(group, ctx);
    const gm = geometricMedian(rows);
    return Float32Array.from(rows, (r) => distance(r, gm));
  },
};
