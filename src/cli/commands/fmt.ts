// lithe fmt [--check] FILE...: rewrites files in the canonical layout (atomically), or with --check only
// lists the files that would change. A file with syntax errors is refused and left untouched.
import { renameSync, writeFileSync } from 'node:fs';
import { format } from '../../fmt/format.ts';
import { line } from '../../diagnostics/render.ts';
import { EXIT, UsageError, type Io } from '../io.ts';
import { readRecipe } from '../read.ts';
import { isYamlPath } from '../../plan/sources.ts';

export function runFmt(files: string[], flags: { check: boolean }, io: Io): number {
  if (!files.length) throw new UsageError('fmt needs at least one FILE');
  let status: number = EXIT.ok;
  for (const path of files) {
    if (isYamlPath(path)) throw new UsageError(`${path}: fmt formats .cmp recipes; YAML is left to YAML tools`);
    const text = readRecipe(path);
    const r = format(text);
    if (!r.ok) {
      for (const d of r.diagnostics) io.out(`${line(d, path)}\n`);
      io.err(`${path}: not formatted: fix the syntax errors first\n`);
      status = EXIT.problems;
      continue;
    }
    if (r.text === text) continue;
    if (flags.check) {
      io.out(`${path}: not formatted\n`);
      status = EXIT.problems;
    } else {
      const tmp = `${path}.lithe-fmt.tmp`;
      writeFileSync(tmp, r.text);
      renameSync(tmp, path);
      io.out(`${path}: formatted\n`);
    }
  }
  return status;
}
