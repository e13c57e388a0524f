// Calibration methods, sorted by id; the ids are the pass's `method` values (index.ts METHODS).
import type { CalibrationMethod } from './types.ts';
import { method as entropy } from './entropy.ts';
import { method as minmax } from './minmax.ts';
import { method as mse } from './mse.ts';
import { method as percentile } from './percentile.ts';

export const methods: readonly CalibrationMethod[] = [entropy, minmax, mse, percentile];
export const methodById = new Map(methods.map((m) => [m.id, m]));
