// export tensorrt [DIR]: a folder a Jetson user copies and builds with trtexec (TensorRT 8.2 for the TX2).
import type { ExportFormat } from './types.ts';

export const format: ExportFormat = {
  id: 'tensorrt',
  summary: 'A folder: ONNX for TensorRT (checked op by op), a calibration cache when int8, build.sh with trtexec, README.txt.',
  folder: true,
  defaultName: 'tensorrt',
  writes: ['README.txt', 'build.sh', 'calibration.cache', 'model.onnx', 'model_float.onnx'],
  write: async (job) => (await import('../tensorrt/write.ts')).writeTensorrt(job),
};
