// export onnx PATH: the current model written where the recipe says (atomically), beside the run folder's copy.
// The path was checked before the run started (never over an input, never over a file lithe did not write
// unless --force); it is checked again here, as a symlink could have been swapped in since.
import { dirname } from 'node:path';
import { encodeModel, noteWritten } from '../../onnx/io.ts';
import { makeDir, writeAtomic } from '../../util/files.ts';
import type { PassRun } from '../../run/types.ts';

export const runExport: PassRun = async (step, ctx, model) => {
  const path = (step.params.path as string | undefined) ?? `${ctx.dir}/model.onnx`;
  ctx.checkOutput(path);
  makeDir(dirname(path));
  writeAtomic(path, encodeModel(model), { durable: true });
  noteWritten(path);
  ctx.log(`wrote ${path}`);
  return { model, details: { format: step.params.format as string, path } };
};
