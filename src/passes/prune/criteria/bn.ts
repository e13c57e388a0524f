// Importance criterion `bn`: BN scaling factor: channels whose BatchNormalization gamma is small carry little signal (network slimming).
// score(c) = Σ |γ_c| over the producers followed by a BatchNormalization (Liu et al. 2017). BN normalises
// every layer to one scale, so γ compares across layers (slimming's global threshold). A group without any
// BN (a squeeze-excitation reduction) falls back to the L1 norm of its filters.
import type { Criterion } from './types.ts';
import { bnScale, filterRows, l1Norms } from './filters.ts';

export const criterion: Criterion = {
  id: 'bn',
  summary: "BN scaling factor: channels whose BatchNormalization gamma is small carry little signal (network slimming).",
  needsData: false,
  comparable: true,
  score: async (group, ctx) => bnScale(group, ctx) ?? l1Norms(filterRows(group, ctx)),
};
