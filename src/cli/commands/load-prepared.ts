// The model a measuring command (info, eval, bench) works on: loaded, verified and prepared as `lithe run`
// prepares its input (onnx/prepare/: weights as initializers, NCHW, the size fixed by --size, constants
// folded), so that each reports what a run would see. `requireSize`: a symbolic input size is an error
// without --size (eval and bench feed images; info counts what it can).
import type { ModelProto } from 'onnx-buf';
import { defaultOpset, loadModel } from '../../onnx/io.ts';
import { DEFAULT_OPSET } from '../../onnx/make.ts';
import { prepareModel } from '../../onnx/prepare/index.ts';
import type { InputSize } from '../../data/size.ts';

export interface Prepared { model: ModelProto; notes: string[]; opset: number | undefined }

export function loadPrepared(file: string, size: InputSize | undefined, requireSize: boolean): Prepared {
  const loaded = loadModel(file);
  const { model, notes } = prepareModel(loaded, { opset: DEFAULT_OPSET, input: size, requireSize, file });
  return { model, notes, opset: defaultOpset(loaded) };
}
