// Every reliability case, by kind, for bench:robust (the test files each run their own kind). `heavy` adds
// the cases too slow for `npm test`.
import { dataCases } from './datasets.ts';
import { fileCases } from './files.ts';
import { modelCases } from './models.ts';
import { recipeCases, recipeCasesHeavy } from './recipes.ts';
import type { RobustCase } from './types.ts';

export function allCases(opts: { heavy?: boolean } = {}): RobustCase[] {
  return [...fileCases, ...modelCases, ...recipeCases, ...(opts.heavy ? recipeCasesHeavy : []), ...dataCases];
}
