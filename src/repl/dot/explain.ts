// .explain: the session's plan, step by step, as `lithe explain` shows a recipe.
import { explain } from '../../plan/explain.ts';
import { modelFacts } from '../../cli/commands/explain.ts';
import { RunError } from '../../run/types.ts';
import type { DotCommand } from './types.ts';

export const command: DotCommand = {
  name: 'explain',
  summary: 'the plan of the statements so far, as lithe explain shows it',
  run(session) {
    if (!session.plan) throw new RunError('nothing to explain yet');
    session.opts.io.out(explain(session.plan, modelFacts(session.plan, session.environment()?.input)));
  },
};
