// eval: the current model measured (what the step names) and recorded; the model itself is unchanged.
import type { PassRun } from '../../run/types.ts';

export const runEval: PassRun = async (step, ctx, model) => {
  const metrics = step.params.metrics as string[];
  const what = (['map', 'latency'] as const).filter((m) => metrics.includes(m));
  return { model, measures: await ctx.measure(model, what) };
};
