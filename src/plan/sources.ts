// Reading recipe files for `use`: the file system by default, or an editor's open buffers.
import { readFileSync, realpathSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FileHost {
  /** The text of a file, or undefined when it cannot be read. */
  read(absPath: string): string | undefined;
  /** The canonical path (symlinks resolved), or undefined when it does not exist. */
  real(absPath: string): string | undefined;
}

export const fsHost: FileHost = {
  read: (p) => { try { return readFileSync(p, 'utf8'); } catch { return undefined; } },
  real: (p) => { try { return existsSync(p) ? realpathSync(p) : undefined; } catch { return undefined; } },
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
