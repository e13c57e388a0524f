// CMP3001: distill from a name that no `teacher` statement declares.
import { nearest } from '../suggest.ts';
import type { Rule } from './types.ts';

export const rule: Rule = {
  id: 'undeclared-teacher',
  summary: 'distill from NAME needs `teacher PATH as NAME`; `teacher` alone means the input model before the first step.',
  passes: ['distill'],
  check(step, { teachers }, report) {
    const from = step.params.from;
    if (typeof from !== 'string' || teachers.has(from)) return;
    const suggestion = nearest(from, teachers);
    const hint = suggestion ? `did you mean '${suggestion}'?` : `declare it: teacher "PATH" as ${from}`;
    report({ code: 'CMP3001', message: `undeclared teacher '${from}'; ${hint}`, at: 'from', fix: suggestion });
  },
};
