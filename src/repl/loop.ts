// The REPL's reading side: lines from a terminal (prompt, completion, history in a file) or from a pipe
// (statements piped in, results on stdout, no prompt); lines that continue a statement (repl/continuation.ts);
// a dot command or a statement per complete entry. Every failure is reported as the CLI reports it (one line,
// never a stack trace) and the session goes on.
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { writeAtomic } from '../util/files.ts';
import { unknownMessage } from '../plan/suggest.ts';
import { RunError } from '../run/types.ts';
import { failure } from '../cli/main.ts';
import type { Session } from './session.ts';
import { needsMore } from './continuation.ts';
import { complete } from './complete.ts';
import { dotByName, dotCommands } from './dot/registry.ts';

export interface LoopOptions {
  input: Readable;
  output: Writable;
  /** A person at a terminal: prompts, completion, history. Otherwise lines are read as they come. */
  terminal: boolean;
  /** Where the history is kept between sessions (terminal only); undefined: nowhere. */
  historyFile?: string;
  /** Called on Ctrl-C while a step runs: the step stops at its next safe point. */
  interrupt?: () => void;
}

const PROMPT = 'lithe> ';
const MORE = '...... ';

/** Reads until the input ends or `.exit`; the exit code is 1 when any entry was refused or failed. */
export async function loop(session: Session, o: LoopOptions): Promise<number> {
  const rl = createInterface({
    input: o.input, output: o.terminal ? o.output : undefined, terminal: o.terminal, prompt: PROMPT,
    completer: (line: string) => complete(line, { text: `${session.text}${buffer ? `${buffer}\n` : ''}`, file: session.file }),
    history: o.terminal ? readHistory(o.historyFile) : [], historySize: 1000, removeHistoryDuplicates: true,
  });
  if (o.terminal && o.historyFile) {
    const file = o.historyFile;
    rl.on('history', (h: string[]) => { try { writeAtomic(file, `${[...h].reverse().join('\n')}\n`); } catch { /* a history that cannot be kept is not worth stopping for */ } });
  }
  let busy = false;
  let buffer = '';
  rl.on('SIGINT', () => {
    if (busy) { o.interrupt?.(); return; }
    buffer = '';
    o.output.write('\n(.exit or Ctrl-D to leave)\n');
    rl.setPrompt(PROMPT);
    rl.prompt();
  });
  let failed = false;
  if (o.terminal) rl.prompt();
  for await (const raw of rl) {
    // a blank line ends a statement that was going on: it is checked as it is (and says what is missing)
    const ends = buffer !== '' && !raw.trim();
    buffer = buffer ? `${buffer}\n${raw}` : raw;
    if (!ends && needsMore(buffer)) { rl.setPrompt(MORE); if (o.terminal) rl.prompt(); continue; }
    const entry = buffer;
    buffer = '';
    rl.setPrompt(PROMPT);
    busy = true;
    try {
      if (!(await enter(session, entry))) failed = true;
    } catch (e) {
      failed = true;
      failure(e, { out: session.opts.io.out, err: session.opts.io.out });
    } finally {
      busy = false;
    }
    if (session.ended) break;
    if (o.terminal) rl.prompt();
  }
  rl.close();
  if (buffer.trim()) {
    failed = true;
    session.opts.io.out(`the input ended inside a statement: ${buffer.split('\n')[0]}...\n`);
  }
  return failed ? 1 : 0;
}

/** One complete entry: blank, a dot command, or statements. False when the checker refused it. */
async function enter(session: Session, entry: string): Promise<boolean> {
  const text = entry.trim();
  if (!text || text.startsWith('#')) return true;
  if (!text.startsWith('.')) return session.statement(entry.replace(/\s+$/, ''));
  const [, name = '', arg = ''] = /^\.(\S*)\s*(.*)$/s.exec(text) ?? [];
  const cmd = dotByName.get(name);
  if (!cmd) throw new RunError(unknownMessage('command', `.${name}`, dotCommands.map((c) => `.${c.name}`)).message);
  await cmd.run(session, arg.trim());
  return true;
}

function readHistory(file: string | undefined): string[] {
  if (!file) return [];
  try { return readFileSync(file, 'utf8').split('\n').filter(Boolean).reverse().slice(0, 1000); } catch { return []; }
}
