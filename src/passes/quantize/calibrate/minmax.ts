// Calibration `minmax`: the largest |x| seen. Never clips on the calibration set, so one outlier sets the
// resolution for every other value.
import type { CalibrationMethod } from './types.ts';

export const method: CalibrationMethod = {
  id: 'minmax',
  summary: 'The largest absolute value seen on the calibration images.',
  amax: (h) => h.max,
};
