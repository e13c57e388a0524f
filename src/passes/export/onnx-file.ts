// export onnx PATH: the current model written where the recipe says (atomically), beside the run folder's copy.
// The path was checked before the run started (never over an input, never over a file lithe did not write
// unless --force); it is checked again here, as a symlink could have been swapped in since.
import { dirname } from 'node:path';
import { encodeModel, noteWritten } from '../../onnx/io.ts';
import { makeDir, writeAtomic } from '../../util/files.ts';
import type { ExportJob, ExportResult } from './formats/types.ts';

export async function writeOnnx({ model, ctx, out }: ExportJob): Promise<ExportResult> {
  ctx.checkOutput(out);
  makeDir(dirname(out));
  writeAtomic(out, encodeModel(model), { durable: true });
  noteWritten(out);
  ctx.log(`wrote ${out}`);
  return { files: [{ path: out, what: 'the ONNX model' }], details: { path: out } };
}
