// .reset: back to the start: the input model, only the command line's declarations.
import { summary } from '../summary.ts';
import type { DotCommand } from './types.ts';

export const command: DotCommand = {
  name: 'reset',
  summary: 'back to the input model and the declarations of the command line',
  run(session) {
    session.reset();
    const cur = session.current();
    session.opts.io.out(cur ? `${summary(cur.label, cur.measures, cur.measures)}\n` : 'reset\n');
  },
};
