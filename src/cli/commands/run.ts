// lithe run RECIPE [--model M] [--data D] [--out DIR] [--resume] [--target T] [--threads N]: checks the
// recipe, then executes its plan step by step into a run folder (plan, log, the model after each step,
// report.json, report.md and report.html) and prints the before/after table. Steps that cannot execute in this version
// stop the run before anything is written. Ctrl-C stops at the next safe point; --resume continues.
import { basename, extname, join } from 'node:path';
import { checkText } from '../../plan/build.ts';
import { line } from '../../diagnostics/render.ts';
import { runPlan, unrunnable } from '../../run/run.ts';
import { reportTable } from '../../run/report.ts';
import { EXIT, processIo, type Io } from '../io.ts';
import { progressLine } from '../../util/progress.ts';
import { LitheError } from '../../errors.ts';
import { readRecipe } from '../read.ts';
import { sizeFlag, wholeFlag } from '../flags.ts';

export interface RunFlags { target?: string; model?: string; data?: string; out?: string; resume?: boolean; threads?: string; force?: boolean; size?: string }


export async function runRun(file: string, flags: RunFlags, io: Io): Promise<number> {
  const size = sizeFlag(flags.size);
  const text = readRecipe(file);
  // asked for a run: a model, teacher or data set that is not there is an error (CMP3013), not a warning
  const { plan, diagnostics, used } = checkText(file, text, { ...flags, forRun: true });
  // steps this version cannot execute (CMP4012) are listed below, once, as the reason the run stops
  for (const d of diagnostics) if (d.code !== 'CMP4012' || !plan) io.err(`${line(d, file)}\n`);
  if (!plan) {
    io.err(`${file}: not run: fix the errors above\n`);
    return EXIT.problems;
  }
  if (size) plan.input = [size[0], size[1]];
  const blocked = unrunnable(plan);
  if (blocked.length) {
    io.err(`lithe run: ${file} cannot run in this version of lithe:\n${blocked.map((b) => `  ${b}\n`).join('')}`);
    return EXIT.usage;
  }
  const out = flags.out ?? join('runs', basename(file, extname(file)));
  const status = progressLine(io.err, io === processIo && !!process.stderr.isTTY);
  let stops = 0;
  const onInt = () => { if (stops++) process.exit(130); io.err('\nlithe run: stopping at the next safe point (Ctrl-C again to abandon)\n'); };
  process.on('SIGINT', onInt);
  try {
    const report = await runPlan(plan, {
      out, resume: flags.resume, threads: wholeFlag(flags.threads, '--threads') ?? 2, recipe: file, used, force: flags.force,
      say: (l) => { status.clear(); io.err(`${l}\n`); }, progress: (l) => status.update(l), stopRequested: () => stops > 0,
    });
    io.out(`${reportTable(report)}\n\n${out}/report.md\n${out}/report.html\n`);
    return EXIT.ok;
  } catch (e) {
    if (!(e instanceof LitheError)) throw e;
    io.err(`lithe run: ${e.message}\n${stops ? `the run folder ${out} is consistent: lithe run --resume continues\n` : ''}`);
    return e.exit;
  } finally {
    status.clear();
    process.off('SIGINT', onInt);
  }
}
