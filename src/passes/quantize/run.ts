// quantize int8 ptq | qat | fp16 in a run. int8 calibrates on the data set's train images (the count from
// the step, the recipe's data or the target) and encodes Q/DQ as the target profile's
// `quantization.encoding` says: TensorRT reads signed int8 with zero point 0; onnxruntime (x86, the
// default) needs uint8 activations for its fused kernels. qat then trains from that calibration (qat.ts) and encodes its result on the same plan.
import type { ModelProto } from 'onnx-buf';
import type { PassRun, RunContext } from '../../run/types.ts';
import { calibrateInt8, encodeInt8, int8Details, type Int8Calibrated, type Int8Runtime } from './int8.ts';
import { toFp16 } from './fp16.ts';
import { runQat } from './qat-step.ts';
import { loadTarget } from '../../targets/load.ts';

/** Calibration images when neither the step, the data nor the target says. */
const DEFAULT_CALIB = 128;

export interface QuantizeParams {
  precision: 'fp16' | 'int8'; mode?: 'ptq' | 'qat'; calib?: number; method?: 'entropy' | 'minmax' | 'mse' | 'percentile'; percentile?: number;
  weights?: 'per-channel' | 'per-tensor'; keep?: never; epochs?: number; lr?: number; learn_scales?: boolean; distill?: boolean;
}

async function calibrate(p: QuantizeParams, ctx: RunContext, model: ModelProto): Promise<Int8Calibrated> {
  const size = ctx.size(model);
  const batches = ctx.data().calibration(p.calib ?? DEFAULT_CALIB, size, 8).map((b) => b.input);
  const keep = p.keep ? ctx.select(p.keep, model) : undefined;
  const target = ctx.plan.target ? loadTarget(ctx.plan.target.name) : undefined;
  const runtime: Int8Runtime = target?.quantization.encoding ?? 'onnxruntime';
  return calibrateInt8(model, batches, { method: p.method ?? 'percentile', percentile: p.percentile, weights: p.weights ?? 'per-channel', keep, threads: ctx.threads, runtime });
}

export const runQuantize: PassRun = async (step, ctx, model) => {
  const p = step.params as unknown as QuantizeParams;
  if (p.precision === 'fp16') return { model: toFp16(model), details: { precision: 'fp16' } };
  const c = await calibrate(p, ctx, model);
  const r = encodeInt8(c);
  ctx.log(`int8 for ${c.runtime}: ${r.report.quantized.length} nodes quantized, ${r.report.kept.length} kept in float, calibrated on ${c.calibration.images} images (${c.method})`);
  if (p.mode === 'qat') return runQat(p, ctx, c, r.model);
  return { model: r.model, details: int8Details(r.report) };
};
