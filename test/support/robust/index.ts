// Every reliability case, by kind. `heavy` adds the cases too slow for `npm test` (bench:robust runs them).
import { fileCases } from './files.ts';
import type { RobustCase } from './types.ts';

export function allCases(_opts: { heavy?: boolean } = {}): RobustCase[] {
  return [...fileCases];
}
