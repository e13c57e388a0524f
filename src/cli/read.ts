// Reading the files named on the command line: only regular files, each read once and bounded by its size
// (a FIFO or /dev/zero is refused, not waited on); a missing or unreadable file stops the command (exit 2).
import { readRegular } from '../util/files.ts';
import { UsageError } from './io.ts';
import { printable } from '../errors.ts';

export const readInput = (path: string, what?: string): Buffer => readRegular(path, { what });

export const readRecipe = (path: string): string => readInput(path, 'a recipe').toString('utf8');

export function readJson(path: string): unknown {
  const bytes = readInput(path, 'a JSON file');
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new UsageError(`${printable(path)}: not JSON (${(e as Error).message})`);
  }
}
