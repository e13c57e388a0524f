// lithe repl [MODEL] [--target NAME] [--threads N]: statements of the language applied at once to a model in
// memory (repl/session.ts), read from a terminal or a pipe (repl/loop.ts).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EXIT, UsageError, type Io } from '../io.ts';
import { wholeFlag } from '../flags.ts';
import { Session } from '../../repl/session.ts';
import { loop } from '../../repl/loop.ts';
import { progressLine } from '../../util/progress.ts';

/** The history file: $LITHE_HISTORY (empty: none), else ~/.lithe_history. */
export function historyFile(env = process.env): string | undefined {
  if (env.LITHE_HISTORY !== undefined) return env.LITHE_HISTORY || undefined;
  return join(homedir(), '.lithe_history');
}

export async function runRepl(args: string[], flags: Record<string, string | boolean | undefined>, io: Io): Promise<number> {
  if (args.length > 1) throw new UsageError('repl takes at most one MODEL (a file or zoo:NAME)');
  const prelude: string[] = [];
  const model = args[0];
  if (model) prelude.push(model.startsWith('zoo:') ? `model ${model}` : `model ${JSON.stringify(model)}`);
  if (typeof flags.target === 'string') prelude.push(`target ${flags.target}`);
  const terminal = !!process.stdin.isTTY && !!process.stdout.isTTY;
  const status = progressLine(io.err, !!process.stderr.isTTY);
  let stops = 0;
  const session = new Session({
    io: { out: (t) => { status.clear(); io.out(t); }, err: (t) => { status.clear(); io.err(t); } },
    cwd: process.cwd(), threads: wholeFlag(flags.threads as string | undefined, '--threads') ?? 2, prelude,
    progress: (l) => status.update(l), stopRequested: () => stops > 0,
  });
  try {
    if (!(await session.start())) return EXIT.problems;
    if (terminal) io.out(`lithe repl: ${model ? `${session.modelName()}; ` : ''}.help for help, Ctrl-D to leave\n`);
    const code = await loop(session, {
      input: process.stdin, output: process.stdout, terminal, historyFile: terminal ? historyFile() : undefined,
      interrupt: () => { stops++; io.err('\nstopping the step at its next safe point\n'); },
    });
    return code ? EXIT.problems : EXIT.ok;
  } finally {
    session.close();
  }
}
