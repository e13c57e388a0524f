// export FORMAT [PATH]: write the compressed model for a runtime.
import type { PassDef } from '../types.ts';
import { putWord } from '../draft.ts';
import { PATH_SCHEMA } from '../../plan/bounds.ts';

export const FORMATS = ['mslite', 'onnx', 'tensorrt'] as const;

const FORMAT_WORDS = [
  { name: 'mslite', summary: 'A folder: ONNX, MindSpore Lite converter config, calibration data and convert.sh (not implemented yet).' },
  { name: 'onnx', summary: 'An ONNX file (opset 13 by default).' },
  { name: 'tensorrt', summary: 'A folder: ONNX for TensorRT 8.2, a calibration cache when int8, build.sh (not implemented yet).' },
];

export const exportPass: PassDef = {
  name: 'export',
  summary: 'Write the model for a runtime: onnx, tensorrt (ONNX with explicit Q/DQ and a calibration cache) or mslite.',
  syntax: 'export FORMAT [PATH]',
  head: [{ role: 'format', words: () => FORMAT_WORDS }, { role: 'path', optional: true }],
  docs: '`onnx` writes the model as is (opset 13 by default). `tensorrt` writes an ONNX model TensorRT 8.2 reads, with '
    + 'a calibration cache when quantized. `mslite` writes the ONNX model and a MindSpore Lite converter config.',
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
  cannotRun: (p) => (p.format !== 'onnx' ? `export ${p.format} is not implemented yet; \`export onnx PATH\` writes the ONNX model` : undefined),
};
