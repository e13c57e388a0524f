// CMP4012: a step this version of lithe cannot execute (a pass without `run`, or one whose `cannotRun` objects).
// A warning: the recipe is valid and `lithe explain` shows its plan, but `lithe run` refuses it before it
// starts, naming each such step.
import { passes } from '../../passes/registry.ts';
import { whyCannotRun } from '../../passes/runnable.ts';
import type { Rule } from './types.ts';

export const rule: Rule = {
  id: 'cannot-run',
  summary: 'A step this version cannot execute: lithe run refuses the recipe before it starts.',
  passes: passes.map((p) => p.name),
  // `export onnnx` is an unknown format, not a format lithe cannot write yet
  wellFormed: true,
  check(step, _ctx, report) {
    const why = whyCannotRun(step.pass, step.params);
    if (why) report({ code: 'CMP4012', message: `lithe run cannot execute this ${step.pass} step yet: ${why}` });
  },
};
