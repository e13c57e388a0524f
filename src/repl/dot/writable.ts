// Where .save and .recipe may write: never over the model, a teacher, the data or a used file (util/guard),
// and over an existing file only if this session wrote it.
import { resolve } from 'node:path';
import { planInputs } from '../../plan/inputs.ts';
import { existsSync } from 'node:fs';
import { printable } from '../../errors.ts';
import { RunError } from '../../run/types.ts';
import type { Session } from '../session.ts';

const written = new WeakMap<Session, Set<string>>();

export function writable(session: Session, arg: string): string {
  if (!arg) throw new RunError('name the file to write');
  const path = resolve(session.opts.cwd, arg);
  if (session.plan) planInputs(session.plan, { dataDir: resolve(session.opts.cwd, 'data') }).check(path, 'the file to write');
  const mine = written.get(session) ?? new Set<string>();
  written.set(session, mine);
  if (!mine.has(path) && existsSync(path)) throw new RunError(`${printable(path)}: already exists and this session did not write it; choose another name`);
  mine.add(path);
  return path;
}
