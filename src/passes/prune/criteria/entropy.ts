// Importance criterion `entropy`: Information entropy of each channel's feature maps over calibration images, normalised so that layers compare.
import type { Criterion } from './types.ts';

export const criterion: Criterion = {
  id: 'entropy',
  summary: "Information entropy of each channel's feature maps over calibration images, normalised so that layers compare.",
  needsData: true,
};
