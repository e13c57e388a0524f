// Importance criterion `similarity`: Filters selected by L1 whose nearest Euclidean twin can stand in for them.
import type { Criterion } from './types.ts';

export const criterion: Criterion = {
  id: 'similarity',
  summary: "Filters selected by L1 whose nearest Euclidean twin can stand in for them.",
  needsData: false,
};
