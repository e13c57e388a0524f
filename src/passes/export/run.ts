// export FORMAT [PATH]: the format plugin (formats/) writes the model where the recipe says, or into the
// step's own folder; the report lists every file written and what it is.
import { join } from 'node:path';
import type { PassRun } from '../../run/types.ts';
import { loadTarget } from '../../targets/load.ts';
import { formatById } from './formats/index.ts';

export const runExport: PassRun = async (step, ctx, model) => {
  const format = formatById.get(step.params.format as 'onnx')!;
  const out = (step.params.path as string | undefined) ?? join(ctx.dir, format.defaultName);
  const target = ctx.plan.target ? loadTarget(ctx.plan.target.name) : undefined;
  const r = await format.write({ model, step, ctx, target, out });
  return { model, details: { format: format.id, ...r.details, path: out, files: r.files.map((f) => ({ file: f.path, what: f.what })) } };
};
