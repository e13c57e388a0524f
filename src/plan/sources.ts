// Reading recipe files for `use`: the file system by default, or an editor's open buffers. The file system's
// reads go through readRegular: a FIFO, a device or a folder named by `use` is a diagnostic, not a hang, and
// a file larger than a recipe may be is read only far enough to tell (its size is a CMP0007 in that file).
import { realpathSync, existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileError, LitheError } from '../errors.ts';
import { LIMITS } from '../lang/limits.ts';
import { readRegular } from '../util/files.ts';

/** A file's text, or why it could not be read (`a FIFO (named pipe), not a file`). */
export type ReadResult = string | { problem: string };

export interface FileHost {
  /** The text of a file, or why it cannot be read. */
  read(absPath: string): ReadResult;
  /** The canonical path (symlinks resolved), or undefined when it does not exist. */
  real(absPath: string): string | undefined;
  /** What a path is (symlinks followed), for the checks of a recipe's model and data (plan/files.ts); a host
   *  without these three (an editor's buffers) skips the checks that need them. */
  kind?(absPath: string): 'file' | 'folder' | 'other' | undefined;
  /** A folder's entry names, or undefined when it cannot be listed. */
  list?(absPath: string): string[] | undefined;
  /** The first `bytes` bytes of a regular file as text (never more: a data set's JSON may be gigabytes). */
  start?(absPath: string, bytes: number): string | undefined;
}

/** A recipe file's text: only regular files; a file over the size limit is read only up to just past it. */
export function readRecipeText(path: string): string {
  return readRegular(path, { what: 'a recipe', max: LIMITS.fileBytes, cut: true }).toString('utf8');
}

export const fsHost: FileHost = {
  read: (p) => {
    try {
      return readRecipeText(p);
    } catch (e) {
      return { problem: e instanceof FileError ? e.problem : e instanceof LitheError ? e.message : 'cannot be read' };
    }
  },
  real: (p) => { try { return existsSync(p) ? realpathSync(p) : undefined; } catch { return undefined; } },
  kind: (p) => {
    try {
      const st = statSync(p);
      return st.isFile() ? 'file' : st.isDirectory() ? 'folder' : 'other';
    } catch {
      return undefined;
    }
  },
  list: (p) => { try { return readdirSync(p); } catch { return undefined; } },
  start: (p, bytes) => { try { return readRegular(p, { head: bytes }).toString('utf8'); } catch { return undefined; } },
};

/** `<repo>/stdlib`, found from this file, so it works whatever the working directory. */
export const stdlibDir = (): string => resolve(dirname(fileURLToPath(import.meta.url)), '../../stdlib');

export function stdlibNames(dir = stdlibDir()): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.cmp')).map((f) => f.slice(0, -4)).sort();
  } catch {
    return [];
  }
}

export const stdlibPath = (name: string, dir = stdlibDir()): string => join(dir, `${name}.cmp`);

export { isInside } from '../util/paths.ts';

export const isYamlPath = (p: string): boolean => /\.ya?ml$/i.test(p);
