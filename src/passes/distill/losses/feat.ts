// Distillation loss `feat`: Feature imitation: L2 between the teacher's feature and the student's through a 1x1 adaptation layer.
import type { Loss } from './types.ts';

export const loss: Loss = {
  id: 'feat',
  summary: "Feature imitation: L2 between the teacher's feature and the student's through a 1x1 adaptation layer.",
};
