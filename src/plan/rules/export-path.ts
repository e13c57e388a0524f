// CMP2006: an export path no file can have (a NUL byte, a newline): found at check time, not after the run.
import { pathProblem } from '../paths.ts';
import type { Rule } from './types.ts';

export const rule: Rule = {
  id: 'export-path',
  summary: 'An export path must be a name a file can have: no NUL byte, newline or other control character.',
  passes: ['export'],
  check(step, _ctx, report) {
    const { path } = step.params;
    const problem = typeof path === 'string' ? pathProblem(path) : undefined;
    if (problem) report({ code: 'CMP2006', message: problem, at: 'path' });
  },
};
