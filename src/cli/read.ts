// Reading the files named on the command line; a missing or unreadable file is a usage error (exit 2).
import { readFileSync, statSync } from 'node:fs';
import { UsageError } from './io.ts';

export function readInput(path: string): Buffer {
  let isFile = false;
  try { isFile = statSync(path).isFile(); } catch { throw new UsageError(`${path}: no such file`); }
  if (!isFile) throw new UsageError(`${path}: not a file`);
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export const readRecipe = (path: string): string => readInput(path).toString('utf8');

export function readJson(path: string): unknown {
  try {
    return JSON.parse(readInput(path).toString('utf8'));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${path}: not JSON (${(e as Error).message})`);
  }
}
