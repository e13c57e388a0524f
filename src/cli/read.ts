// Reading the files named on the command line: only regular files, each read once and bounded by its size
// (a FIFO or /dev/zero is refused, not waited on); a missing or unreadable file stops the command (exit 2).
// Recipes are bounded by the recipe size limit (src/lang/limits.ts).
import { readRegular } from '../util/files.ts';
import { UsageError } from './io.ts';
import { printable } from '../errors.ts';
import { readRecipeText } from '../plan/sources.ts';

export const readInput = (path: string, what?: string): Buffer => readRegular(path, { what });

/**
 * A recipe's text. A file larger than a recipe may be (1 MiB) is read only up to just past the limit: the
 * checker then reports its size as a diagnostic (CMP0007) instead of lithe reading, say, 50 MB.
 */
export const readRecipe = (path: string): string => readRecipeText(path);

export function readJson(path: string): unknown {
  const bytes = readInput(path, 'a JSON file');
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new UsageError(`${printable(path)}: not JSON (${(e as Error).message})`);
  }
}
