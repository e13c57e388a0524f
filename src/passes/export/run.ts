// export onnx PATH: the current model written where the recipe says (atomically), beside the run folder's copy.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { encodeModel } from '../../onnx/io.ts';
import type { PassRun } from '../../run/types.ts';

export const runExport: PassRun = async (step, ctx, model) => {
  const path = (step.params.path as string | undefined) ?? `${ctx.dir}/model.onnx`;
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, encodeModel(model));
  renameSync(tmp, path);
  ctx.log(`wrote ${path}`);
  return { model, details: { format: step.params.format as string, path } };
};
