// Importance criterion `bn`: BN scaling factor: channels whose BatchNormalization gamma is small carry little signal (network slimming).
import type { Criterion } from './types.ts';

export const criterion: Criterion = {
  id: 'bn',
  summary: "BN scaling factor: channels whose BatchNormalization gamma is small carry little signal (network slimming).",
  needsData: false,
};
