// export mslite [DIR]: a folder for MindSpore Lite's converter_lite (Kirin NPUs under HarmonyOS).
import type { ExportFormat } from './types.ts';

export const format: ExportFormat = {
  id: 'mslite',
  summary: 'A folder: ONNX for converter_lite, converter.cfg, calibration BIN files, convert.sh, the ops the NPU lacks.',
  folder: true,
  defaultName: 'mslite',
  writes: ['README.txt', 'calibration', 'convert.sh', 'converter.cfg', 'model.onnx', 'npu-fallback.txt'],
  write: async (job) => (await import('../mslite/write.ts')).writeMslite(job),
};
