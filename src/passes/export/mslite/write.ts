// export mslite: the folder for MindSpore Lite's converter_lite (Kirin NPUs under HarmonyOS). The converter
// quantizes itself, so it gets the float model (Q/DQ stripped, fp16 widened back) and, for int8,
// converter.cfg with the recipe's quantize choices and the calibration images as BIN files (NHWC float32);
// convert.sh runs the converter (--fp16=on for fp16); npu-fallback.txt names each node the NPU does not run.
import type { ModelProto } from 'onnx-buf';
import { Graph } from '../../../onnx/graph.ts';
import { LitheError } from '../../../errors.ts';
import { getMetadata } from '../../../onnx/make.ts';
import { PREPROCESS_KEY } from '../../../data/preprocess.ts';
import { checkOps, describeFinding, loadOpTable } from '../../../targets/ops.ts';
import type { Precision, Target } from '../../../targets/target.ts';
import type { ExportJob, ExportResult } from '../formats/types.ts';
import { ExportFolder } from '../folder.ts';
import { atTargetOpset } from '../opset.ts';
import { alignmentNote, misaligned } from '../alignment.ts';
import { fromFp16, hasFp16, hasQdq, stripQdq } from '../to-float.ts';
import { converterConfig, type QuantizeChoice } from './converter-config.ts';
import { calibrationBins } from './calibration-bins.ts';

const DEFAULT_TABLE = 'kirin-npu.yaml';
const DEFAULT_CALIB = 128;

/** What the recipe asked of its last quantize step before this export, if any. */
function quantizeStep({ ctx, step }: ExportJob): (QuantizeChoice & { precision: string }) | undefined {
  const q = ctx.plan.steps.filter((s) => s.pass === 'quantize' && s.index < step.index).at(-1);
  if (!q) return undefined;
  const p = q.params as { precision: string; method?: string; calib?: number; weights?: 'per-channel' | 'per-tensor' };
  return { precision: p.precision, method: p.method ?? 'percentile', calib: p.calib ?? ctx.plan.target?.calib ?? DEFAULT_CALIB, weights: p.weights ?? 'per-channel' };
}

/** The precision the converter is asked for: int8 for a quantized model, fp16 where the NPU wants it. */
function precisionOf(model: ModelProto, asked: string | undefined, target: Target | undefined): Precision {
  if (hasQdq(model) || asked === 'int8') return 'int8';
  if (hasFp16(model) || asked === 'fp16') return 'fp16';
  return target?.export.accelerator?.precisions.includes('fp16') ? 'fp16' : 'fp32';
}

interface Input { name: string; dims: number[] }

/** The graph inputs with their shapes, a symbolic dimension (the batch) at `batch`. */
function inputsOf(model: ModelProto, batch: number): Input[] {
  const g = model.graph!;
  return g.input.filter((v) => !g.initializer.some((t) => t.name === v.name)).map((i) => {
    const dims = i.type?.value.case === 'tensorType' ? i.type.value.value.shape?.dim.map((d) => (d.value.case === 'dimValue' ? Number(d.value.value) : batch)) ?? [] : [];
    return { name: i.name, dims };
  });
}

function convertScript(inputs: readonly Input[], precision: Precision, runtime: string): string {
  return [
    '#!/bin/sh',
    `# Converts model.onnx into model.ms with ${runtime}'s converter_lite (set CONVERTER_LITE if it is not on PATH).`,
    'set -eu',
    'cd "$(dirname "$0")"',
    'CONVERTER_LITE="${CONVERTER_LITE:-converter_lite}"',
    `"$CONVERTER_LITE" --fmk=ONNX --modelFile=model.onnx --outputFile=model --inputShape="${inputs.map((i) => `${i.name}:${i.dims.join(',')}`).join(';')}"`
      + `${precision === 'int8' ? ' --configFile=converter.cfg' : ''}${precision === 'fp16' ? ' --fp16=on' : ''}`,
    '',
  ].join('\n');
}

export async function writeMslite(job: ExportJob): Promise<ExportResult> {
  const { ctx, target, out } = job;
  const own = target?.export.format === 'mslite' ? target : undefined;
  const table = loadOpTable(own?.ops?.table ?? DEFAULT_TABLE);
  const q = quantizeStep(job);
  const precision = precisionOf(job.model, q?.precision, own);
  const stripped = hasQdq(job.model) ? stripQdq(job.model).model : job.model;
  const { model, opset } = atTargetOpset(hasFp16(stripped) ? fromFp16(stripped) : stripped, own, 'MindSpore Lite\'s converter');
  const fallback = checkOps(Graph.fromModel(model), table, own?.ops?.unlisted ?? 'cpu').map(describeFinding);
  const inputs = inputsOf(model, own?.defaults.batch ?? 1);
  const input = inputs[0]!;
  if (precision === 'int8' && inputs.length !== 1) throw new LitheError(`export mslite: int8 calibration images feed one image input; the model has ${inputs.length} (${inputs.map((i) => i.name).join(', ')})`);
  const choice = q ?? { method: 'minmax', calib: own?.defaults.calib ?? DEFAULT_CALIB, weights: 'per-channel' as const };
  const size = precision === 'int8' ? ctx.size(model) : ([0, 0] as const);
  // the data before the folder: a recipe without data stops here, with nothing half written
  const batches = precision === 'int8' ? ctx.data().calibration(choice.calib, size, 1) : [];
  const off = misaligned(model, own);
  const runtime = own ? `${own.runtime.name} ${own.runtime.version}` : 'MindSpore Lite';
  const folder = new ExportFolder(out, ctx);
  folder.model('model.onnx', model, `the float model for converter_lite --fmk=ONNX, opset ${opset}`);
  let images = 0;
  if (precision === 'int8') {
    const preprocess = JSON.parse(getMetadata(job.model, PREPROCESS_KEY) ?? '{}') as Record<string, unknown>;
    images = calibrationBins(folder, batches, `calibration/${input.name}`, input.dims[preprocess.layout === 'nhwc' ? 3 : 1] ?? 3, preprocess.layout === 'nhwc');
    folder.text('converter.cfg', converterConfig(choice, { input: input.name, folder: `calibration/${input.name}`, size: [size[0], size[1]], preprocess }, images),
      `converter_lite's full-quantization config (int8, ${choice.method} calibration on ${images} images)`);
  }
  folder.text('convert.sh', convertScript(inputs, precision, runtime), `runs converter_lite (${precision})`, true);
  const unit = own?.export.accelerator?.name ?? 'the NPU';
  folder.text('npu-fallback.txt', [`# Nodes ${unit} does not run (${table.source}): they fall back to the CPU.`, ...(fallback.length ? fallback : ['(none)']), ''].join('\n'),
    `the ${fallback.length} nodes that fall back to the CPU`);
  folder.readme(`lithe export for ${runtime} (${precision})`, [
    'Run ./convert.sh where converter_lite is installed: it writes model.ms, which the app loads with MindSpore Lite.',
    precision === 'int8' ? 'int8: converter_lite quantizes the float model itself (FULL_QUANT), calibrating on the BIN files in calibration/.' : `${precision}: no quantization config is needed.`,
    ...(precision === 'int8' && own?.export.accelerator && !own.export.accelerator.precisions.includes('int8')
      ? [`Note: ${unit} runs ${own.export.accelerator.precisions.join(', ')} only; int8 layers run on the CPU.`] : []),
    `${fallback.length} of ${model.graph!.node.length} nodes fall back to the CPU (npu-fallback.txt).`,
    ...alignmentNote(off, own),
  ]);
  return { files: folder.files, details: { precision, opset, runtime, cpu_fallback: fallback.length, misaligned: off.length, ...(images && { calibration_images: images }) } };
}
