// lithe check FILE... [--format text|json|sarif|pretty] [--target T] [--model M] [--data D]
// the service's checker alone (analysis.ts), not its index: completion and hover load the zoo and the op
// schemas, which a check never needs (test/cli-start.test.ts)
import { Workspace } from '../../service/analysis.ts';
import { hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import { line, toJson, toSarif, withCarets } from '../../diagnostics/render.ts';
import { EXIT, UsageError, type Io } from '../io.ts';
import { readRecipe } from '../read.ts';

export const FORMATS = ['text', 'pretty', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export interface CheckFlags { format: Format; target?: string; model?: string; data?: string }

export function runCheck(files: string[], flags: CheckFlags, io: Io): number {
  if (!files.length) throw new UsageError('check needs at least one FILE');
  const results = files.map((path) => {
    const text = readRecipe(path);
    // A workspace per file: nothing is kept from one file to the next (a recipe at the size limit parses into
    // hundreds of MiB).
    return { path, text, diagnostics: new Workspace().analyze(path, text, { target: flags.target, model: flags.model, data: flags.data }).result.diagnostics };
  });
  print(results, flags.format, io);
  return results.some((r) => hasErrors(r.diagnostics)) ? EXIT.problems : EXIT.ok;
}

function print(results: { path: string; text: string; diagnostics: Diagnostic[] }[], format: Format, io: Io): void {
  switch (format) {
    case 'json': return io.out(`${JSON.stringify(results.flatMap((r) => toJson(r.diagnostics, r.path)), null, 2)}\n`);
    case 'sarif': return io.out(`${JSON.stringify(toSarif(results), null, 2)}\n`);
    case 'pretty':
      for (const r of results) for (const d of r.diagnostics) io.out(`${r.path}:${withCarets(d, r.text)}\n`);
      return summary(results, io);
    default:
      for (const r of results) for (const d of r.diagnostics) io.out(`${line(d, r.path)}\n`);
      return summary(results, io);
  }
}

function summary(results: { diagnostics: Diagnostic[] }[], io: Io): void {
  const count = (s: string) => results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === s).length, 0);
  const [e, w] = [count('error'), count('warning')];
  if (e || w) io.err(`${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'} in ${results.length} file${results.length === 1 ? '' : 's'}\n`);
}
