// Importance criterion `taylor`: First-order Taylor estimate of the loss change from removing a channel (needs gradients on data).
import type { Criterion } from './types.ts';

export const criterion: Criterion = {
  id: 'taylor',
  summary: "First-order Taylor estimate of the loss change from removing a channel (needs gradients on data).",
  needsData: true,
};
