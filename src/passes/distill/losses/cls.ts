// Distillation loss `cls`: Classification: hard labels mixed with the teacher's softened class scores, background weighted 1.5 (Chen et al. 2017).
import type { Loss } from './types.ts';

export const loss: Loss = {
  id: 'cls',
  summary: "Classification: hard labels mixed with the teacher's softened class scores, background weighted 1.5 (Chen et al. 2017).",
};
