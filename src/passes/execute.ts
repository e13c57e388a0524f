// Running a plan step through its pass. A pass without `run` cannot execute yet, and says so plainly
// instead of pretending: its metadata, checks and plan are real; its execution arrives with a later issue.
import type { PlanStep } from '../plan/types.ts';
import { passByName } from './registry.ts';

export class PassUnavailableError extends Error {
  override name = 'PassUnavailableError';
  constructor(readonly step: PlanStep) {
    super(`step ${step.index} (${step.pass}, line ${step.range.start.line}): the ${step.pass} pass cannot execute yet in this version of lithe; `
      + 'its checks and plan are complete (see `lithe explain`), its execution on ONNX models is not implemented yet');
  }
}

export function assertRunnable(step: PlanStep): void {
  const pass = passByName.get(step.pass);
  if (!pass?.run) throw new PassUnavailableError(step);
}
