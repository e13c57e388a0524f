// Which steps this version of lithe can execute: a pass without `run`, or whose `cannotRun` objects to the
// step's parameters, stops `lithe run` before anything is written, and is a CMP4012 warning at `lithe check`.
import { passByName } from './registry.ts';
import type { Params } from './types.ts';

/** Why a step of `pass` with `params` cannot execute in this version, or undefined when it can. */
export function whyCannotRun(pass: string, params: Params): string | undefined {
  const def = passByName.get(pass);
  return !def?.run ? 'its execution on ONNX models is not implemented yet' : def.cannotRun?.(params);
}

/** Steps that cannot execute in this version, as `step N (pass, line L): why`. */
export function unrunnable(plan: { steps: readonly { index: number; pass: string; params: Params; range: { start: { line: number } } }[] }): string[] {
  return plan.steps.flatMap((s) => {
    const why = whyCannotRun(s.pass, s.params);
    return why ? [`step ${s.index} (${s.pass}, line ${s.range.start.line}): ${why}`] : [];
  });
}
