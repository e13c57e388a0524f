// Importance criterion `l2`: L2 norm of each output filter's weights.
// score(c) = sqrt(Σ w²) over channel c's output filter of every producer conv.
import type { Criterion } from './types.ts';
import { filterRows, l2Norms } from './filters.ts';

export const criterion: Criterion = {
  id: 'l2',
  summary: "L2 norm of each output filter's weights.",
  needsData: false,
  comparable: false,
  score: async (group, ctx) => l2Norms(filterRows(group, ctx)),
};
