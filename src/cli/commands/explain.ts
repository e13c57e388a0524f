// lithe explain FILE [--json] [--target T] [--model M]: the resolved plan, or the problems that prevent one.
import { checkText } from '../../plan/build.ts';
import { explain } from '../../plan/explain.ts';
import { line } from '../../diagnostics/render.ts';
import { EXIT, type Io } from '../io.ts';
import { readRecipe } from '../read.ts';

export function runExplain(file: string, flags: { json: boolean; target?: string; model?: string }, io: Io): number {
  const text = readRecipe(file);
  const { plan, diagnostics } = checkText(file, text, { target: flags.target, model: flags.model });
  for (const d of diagnostics) io.err(`${line(d, file)}\n`);
  if (!plan) {
    io.err(`${file}: no plan: fix the errors above\n`);
    return EXIT.problems;
  }
  io.out(flags.json ? `${JSON.stringify(plan, null, 2)}\n` : explain(plan));
  return EXIT.ok;
}
