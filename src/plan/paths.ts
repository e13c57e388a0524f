// Paths in a recipe, checked before anything runs: a path no file can have (a NUL byte, a newline) is a
// CMP2006 at `lithe check`, not an error from the file system after a run of hours; and an export that would
// write over one of the run's inputs (the model, a teacher, the recipe, a used file) is a CMP3012. Relative
// paths resolve against the working directory, as `lithe run` resolves them.
import { statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { printable } from '../errors.ts';

const CONTROL = /[\x00-\x1f\x7f]/;

const NAMES: Record<string, string> = { '\x00': 'a NUL byte', '\n': 'a newline', '\r': 'a carriage return', '\t': 'a tab' };

/** Why no file can be named `path` (said in words), or undefined when one can. */
export function pathProblem(path: string): string | undefined {
  if (path === '') return 'the path is empty';
  const m = CONTROL.exec(path);
  if (!m) return undefined;
  const c = m[0];
  const name = NAMES[c] ?? `the control character ${printable(c)}`;
  const shown = printable(path.length > 60 ? `${path.slice(0, 60)}…` : path);
  return `the path "${shown}" holds ${name} (character ${m.index + 1}); no file can be named so`;
}

/** A file the run reads, as the checker compares an export path with it. */
export interface InputFile {
  /** `the input model`, `teacher 'big'`, `the recipe`, `used file lib/x.cmp`. */
  what: string;
  /** Its canonical path (symlinks resolved where the file or its folder exists). */
  real: string;
  /** `dev:ino` of an existing file: a hard link has another path but the same identity. */
  id?: string;
}

/** The canonical form of a path that may not exist yet: its folder's real path and its name. */
export function canonical(path: string, real: (p: string) => string | undefined): string {
  const abs = resolve(path);
  const whole = real(abs);
  if (whole) return whole;
  const dir = real(dirname(abs));
  return dir ? join(dir, basename(abs)) : abs;
}

/** The identity of an existing file (`dev:ino`), or undefined. */
export function fileId(path: string): string | undefined {
  try {
    const st = statSync(path);
    return st.isFile() ? `${st.dev}:${st.ino}` : undefined;
  } catch {
    return undefined;
  }
}

export function inputFile(what: string, path: string, real: (p: string) => string | undefined): InputFile {
  const r = canonical(path, real);
  const id = fileId(r);
  return id ? { what, real: r, id } : { what, real: r };
}

/** The input `path` would overwrite, if any. */
export function overwritten(path: string, inputs: readonly InputFile[], real: (p: string) => string | undefined): InputFile | undefined {
  const r = canonical(path, real);
  const id = fileId(r);
  return inputs.find((f) => f.real === r || (id !== undefined && f.id === id));
}
