// .undo: forget the last statement; the model goes back to what it was before it.
import { summary } from '../summary.ts';
import type { DotCommand } from './types.ts';

export const command: DotCommand = {
  name: 'undo',
  summary: 'forget the last statement (and the model its steps made)',
  run(session) {
    const keep = session.opts.prelude.length;
    if (session.entries.length <= keep) { session.opts.io.out('nothing to undo\n'); return; }
    const text = session.undo()!;
    const cur = session.current();
    session.opts.io.out(`undone: ${text}\n${cur ? `${summary(cur.label, cur.measures, session.input()!.measures)}\n` : ''}`);
  },
};
