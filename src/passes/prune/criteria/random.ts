// Importance criterion `random`: Uniformly random channels: the baseline every other criterion must beat.
import type { Criterion } from './types.ts';

export const criterion: Criterion = {
  id: 'random',
  summary: "Uniformly random channels: the baseline every other criterion must beat.",
  needsData: false,
};
