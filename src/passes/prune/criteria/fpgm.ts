// Importance criterion `fpgm`: Filters nearest the geometric median of their layer are the most replaceable (FPGM).
import type { Criterion } from './types.ts';

export const criterion: Criterion = {
  id: 'fpgm',
  summary: "Filters nearest the geometric median of their layer are the most replaceable (FPGM).",
  needsData: false,
};
