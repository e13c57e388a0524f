// Importance criterion `l2`: L2 norm of each output filter's weights.
import type { Criterion } from './types.ts';

export const criterion: Criterion = {
  id: 'l2',
  summary: "L2 norm of each output filter's weights.",
  needsData: false,
};
