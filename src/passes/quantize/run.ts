// quantize int8 ptq | fp16 in a run. int8 calibrates on the data set's train images (the count from the step,
// the recipe's data or the target) and encodes Q/DQ for the target's runtime: TensorRT (tx2) reads signed
// int8 with zero point 0; onnxruntime (x86, the default) needs uint8 activations for its fused kernels.
import type { PassRun } from '../../run/types.ts';
import { quantizeInt8, type Int8Runtime } from './int8.ts';
import { toFp16 } from './fp16.ts';

const RUNTIME_OF_TARGET: Record<string, Int8Runtime> = { tx2: 'tensorrt' };
/** Calibration images when neither the step, the data nor the target says. */
const DEFAULT_CALIB = 128;

interface QuantizeParams { precision: 'fp16' | 'int8'; calib?: number; method?: 'entropy' | 'minmax' | 'mse' | 'percentile'; percentile?: number; weights?: 'per-channel' | 'per-tensor'; keep?: never }

export const runQuantize: PassRun = async (step, ctx, model) => {
  const p = step.params as unknown as QuantizeParams;
  if (p.precision === 'fp16') return { model: toFp16(model), details: { precision: 'fp16' } };
  const size = ctx.size(model);
  const batches = ctx.data().calibration(p.calib ?? DEFAULT_CALIB, size, 8).map((b) => b.input);
  const keep = p.keep ? ctx.select(p.keep, model) : undefined;
  const runtime = RUNTIME_OF_TARGET[ctx.plan.target?.name ?? ''] ?? 'onnxruntime';
  const r = await quantizeInt8(model, batches, { method: p.method ?? 'percentile', percentile: p.percentile, weights: p.weights ?? 'per-channel', keep, threads: ctx.threads, runtime });
  ctx.log(`int8 for ${runtime}: ${r.report.quantized.length} nodes quantized, ${r.report.kept.length} kept in float, calibrated on ${r.report.calibration.images} images (${r.report.method})`);
  return {
    model: r.model,
    details: {
      runtime, method: r.report.method, weights: r.report.weights, activations: r.report.activations, reduce_range: r.report.reduceRange,
      calibration_images: r.report.calibration.images, quantized_nodes: r.report.quantized.length, float_nodes: r.report.kept.length + r.report.decode.length,
    },
  };
};
