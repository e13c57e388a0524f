// Reading the files named on the command line; a missing or unreadable file is a usage error (exit 2).
import { readFileSync, statSync } from 'node:fs';
import { UsageError } from './io.ts';

export function readRecipe(path: string): string {
  let isFile = false;
  try { isFile = statSync(path).isFile(); } catch { throw new UsageError(`${path}: no such file`); }
  if (!isFile) throw new UsageError(`${path}: not a file`);
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
