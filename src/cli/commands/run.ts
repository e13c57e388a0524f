// lithe run RECIPE [--model M] [--target T]: checks the recipe, then executes its steps in order. Passes
// that cannot execute yet stop the run before anything is written, with a message naming the step.
import { checkText } from '../../plan/build.ts';
import { line } from '../../diagnostics/render.ts';
import { assertRunnable, PassUnavailableError } from '../../passes/execute.ts';
import { EXIT, type Io } from '../io.ts';
import { readRecipe } from '../read.ts';

export function runRun(file: string, flags: { target?: string; model?: string }, io: Io): number {
  const text = readRecipe(file);
  const { plan, diagnostics } = checkText(file, text, flags);
  for (const d of diagnostics) io.err(`${line(d, file)}\n`);
  if (!plan) {
    io.err(`${file}: not run: fix the errors above\n`);
    return EXIT.problems;
  }
  try {
    // Every step is checked before the first one starts, so a run never stops half-way for this reason.
    plan.steps.forEach(assertRunnable);
  } catch (e) {
    if (!(e instanceof PassUnavailableError)) throw e;
    io.err(`lithe run: ${e.message}\n`);
    return EXIT.usage;
  }
  io.out(`${file}: ${plan.steps.length} step(s) done\n`);
  return EXIT.ok;
}
