// Importance criterion `similarity`: Filters selected by L1 whose nearest Euclidean twin can stand in for them.
// L1 selects the targets: the half of the filters with the smallest L1 norms (ties by index). A target c
// scores the error of its best stand-in: min(‖F_c‖₂, min_j ‖F_c − F_j‖₂) over the filters j ranked above
// it by L1 (zero, i.e. plain removal, is a stand-in too). Other filters score ‖F_c‖₂. So a weak filter that
// duplicates a stronger one scores near 0, and of two twins the weaker goes. Rows are all producers' filters.
import type { Criterion } from './types.ts';
import { distance, filterRows, l1Norms, l2Norms } from './filters.ts';

/** The share of filters (weakest by L1) that are targets. */
const TARGETS = 0.5;

export const criterion: Criterion = {
  id: 'similarity',
  summary: "Filters selected by L1 whose nearest Euclidean twin can stand in for them.",
  needsData: false,
  comparable: false,
  score: async (group, ctx) => {
    const rows = filterRows(group, ctx);
    const l1 = l1Norms(rows);
    const scores = l2Norms(rows);
    const order = Array.from(rows.keys()).sort((a, b) => l1[a]! - l1[b]! || a - b);
    const targets = Math.floor(rows.length * TARGETS);
    for (let k = 0; k < targets; k++) {
      const c = order[k]!;
      for (let j = k + 1; j < order.length; j++) scores[c] = Math.min(scores[c]!, distance(rows[c]!, rows[order[j]!]!));
    }
    return scores;
  },
};
