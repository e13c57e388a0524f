// export FORMAT [PATH]: write the compressed model for a runtime.
import type { PassDef } from '../types.ts';
import { putWord } from '../draft.ts';
import { PATH_SCHEMA } from '../../plan/bounds.ts';
import { formats } from './formats/index.ts';

export const FORMATS = formats.map((f) => f.id);

const FORMAT_WORDS = formats.map((f) => ({ name: f.id, summary: f.summary }));

export const exportPass: PassDef = {
  name: 'export',
  summary: 'Write the model for a runtime: onnx, tensorrt (ONNX with explicit Q/DQ and a calibration cache) or mslite.',
  syntax: 'export FORMAT [PATH]',
  head: [{ role: 'format', words: () => FORMAT_WORDS }, { role: 'path', optional: true }],
  docs: '`onnx` writes the model as is (opset 13 by default). `tensorrt` writes a folder (PATH, or the step\'s run folder): '
    + 'the ONNX model checked against the target\'s TensorRT op table, a calibration cache when int8, build.sh with the trtexec '
    + 'line and README.txt. `mslite` writes a folder for MindSpore Lite\'s converter_lite: the float ONNX model, converter.cfg and '
    + 'calibration BIN files for int8, convert.sh, and the ops the NPU does not run.',
  params: {
    type: 'object',
    properties: { format: { enum: [...FORMATS] }, path: PATH_SCHEMA },
    required: ['format'],
    additionalProperties: false,
  },
  options: [],
  defaults: [],
  fromHead(step, draft) {
    putWord(draft, 'format', step.head.format);
    putWord(draft, 'path', step.head.path);
  },
  paths: ['path'],
  run: async (step, ctx, model) => (await import('./run.ts')).runExport(step, ctx, model),
};
