// A REPL command (a line starting with `.`): metadata first, then what it does to the session.
import type { Session } from '../session.ts';

export interface DotCommand {
  name: string;
  /** Its argument as `.help` shows it (absent: none). */
  args?: string;
  summary: string;
  run(session: Session, arg: string): void | Promise<void>;
}
