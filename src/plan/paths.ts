// Paths in a recipe, checked before anything runs: a path no file can have (a NUL byte, a newline) is a
// CMP2006 at `lithe check`, not an error from the file system after a run of hours. (An export over one of
// the run's inputs is CMP3012: plan/inputs.ts.)
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
