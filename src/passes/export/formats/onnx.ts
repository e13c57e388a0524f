// export onnx [PATH]: the model as it is, one ONNX file.
import type { ExportFormat } from './types.ts';

export const format: ExportFormat = {
  id: 'onnx',
  summary: 'An ONNX file (opset 13 by default).',
  folder: false,
  defaultName: 'model.onnx',
  write: async (job) => (await import('../onnx-file.ts')).writeOnnx(job),
};
