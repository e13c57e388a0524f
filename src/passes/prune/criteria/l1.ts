// Importance criterion `l1`: L1 norm of each output filter's weights.
import type { Criterion } from './types.ts';

export const criterion: Criterion = {
  id: 'l1',
  summary: "L1 norm of each output filter's weights.",
  needsData: false,
};
