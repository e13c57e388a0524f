// Distillation loss `reg`: Teacher-bounded regression: the student's box error counts only where it exceeds the teacher's by a margin.
import type { Loss } from './types.ts';

export const loss: Loss = {
  id: 'reg',
  summary: "Teacher-bounded regression: the student's box error counts only where it exceeds the teacher's by a margin.",
};
