// Importance criterion `dynamic`: A weighted sum of BN scale and a channel-independence score, the weights adjusted over pruning iterations.
import type { Criterion } from './types.ts';

export const criterion: Criterion = {
  id: 'dynamic',
  summary: "A weighted sum of BN scale and a channel-independence score, the weights adjusted over pruning iterations.",
  needsData: false,
};
