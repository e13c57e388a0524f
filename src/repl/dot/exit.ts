// .exit: end the session (as Ctrl-D does).
import type { DotCommand } from './types.ts';

export const command: DotCommand = {
  name: 'exit',
  summary: 'end the session (Ctrl-D too)',
  run(session) { session.ended = true; },
};
