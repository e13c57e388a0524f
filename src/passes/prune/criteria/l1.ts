// Importance criterion `l1`: L1 norm of each output filter's weights.
// score(c) = Σ |w| over channel c's output filter of every producer conv (Li et al. 2017, "Pruning Filters
// for Efficient ConvNets"). Norms grow with fan-in, so layers compare only after normalisation.
import type { Criterion } from './types.ts';
import { filterRows, l1Norms } from './filters.ts';

export const criterion: Criterion = {
  id: 'l1',
  summary: "L1 norm of each output filter's weights.",
  needsData: false,
  comparable: false,
  score: async (group, ctx) => l1Norms(filterRows(group, ctx)),
};
