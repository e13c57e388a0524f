// Distillation loss `corr`: Channel correlation: the C x C Gram matrices of student and teacher features compared.
import type { Loss } from './types.ts';

export const loss: Loss = {
  id: 'corr',
  summary: "Channel correlation: the C x C Gram matrices of student and teacher features compared.",
};
