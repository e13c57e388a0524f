// export tensorrt: the folder a Jetson user copies and builds. The model at the target's opset, checked
// node by node against the target's TensorRT op table and, when quantized, against TensorRT's Q/DQ rules
// (a refusal names every node, with the alternative); then model.onnx, for int8 also model_float.onnx and
// calibration.cache (the same scales, for implicit quantization), build.sh and README.txt.
import { Graph } from '../../../onnx/graph.ts';
import { LitheError } from '../../../errors.ts';
import { checkOps, describeFinding, loadOpTable } from '../../../targets/ops.ts';
import type { Precision, Target } from '../../../targets/target.ts';
import type { ExportJob, ExportResult } from '../formats/types.ts';
import { ExportFolder } from '../folder.ts';
import { atTargetOpset } from '../opset.ts';
import { alignmentNote, misaligned } from '../alignment.ts';
import { hasFp16, hasQdq, stripQdq } from '../to-float.ts';
import { buildScript } from './build-sh.ts';
import { calibrationCache } from './calib-cache.ts';
import { qdqProblems } from './qdq-rules.ts';

/** Used when the recipe's target is not a TensorRT one (or names none): the TX2's TensorRT. */
const DEFAULT_TABLE = 'tensorrt-8.2.yaml';
const DEFAULT_HEADER = 'TRT-8203-EntropyCalibration2';
const SHOWN = 20;

/** A float model builds at the target's fastest float precision (fp16 on the TX2); int8 needs `quantize int8`. */
const floatPrecision = (t: Target | undefined): Precision => (t?.precisions.fp16?.supported !== false ? 'fp16' : 'fp32');

function refuse(what: string, lines: string[]): never {
  const shown = lines.slice(0, SHOWN).map((l) => `  ${l}`);
  const more = lines.length > SHOWN ? [`  ... and ${lines.length - SHOWN} more`] : [];
  throw new LitheError([`export tensorrt: ${what} (${lines.length}):`, ...shown, ...more].join('\n'));
}

export async function writeTensorrt({ model: given, ctx, target, out }: ExportJob): Promise<ExportResult> {
  const own = target?.export.format === 'tensorrt' ? target : undefined;
  const table = loadOpTable(own?.ops?.table ?? DEFAULT_TABLE);
  const { model, opset } = atTargetOpset(given, own, table.name);
  const g = Graph.fromModel(model);
  const refused = checkOps(g, table, 'error');
  if (refused.length) refuse(`${table.name} cannot import these nodes`, refused.map(describeFinding));
  const qdq = qdqProblems(g);
  if (qdq.length) refuse("these Q/DQ nodes break TensorRT's explicit-quantization rules; quantize for a target whose profile says `quantization.encoding: tensorrt` (e.g. `target tx2`)", qdq);
  const precision: Precision = hasQdq(model) ? 'int8' : hasFp16(model) ? 'fp16' : floatPrecision(own);
  const runtime = own ? `${own.runtime.name} ${own.runtime.version}` : 'TensorRT 8.2';
  // stripped before the folder is made: a Q/DQ layout lithe cannot strip stops with nothing written
  const implicit = precision === 'int8' ? stripQdq(model) : undefined;
  const folder = new ExportFolder(out, ctx);
  folder.model('model.onnx', model, precision === 'int8' ? `the model with explicit Q/DQ (int8), opset ${opset}` : `the model, opset ${opset}`);
  const cached = implicit?.scales.size ?? 0;
  if (implicit) {
    const { model: float, scales } = implicit;
    folder.model('model_float.onnx', float, 'the same model without Q/DQ (weights on their int8 grid), for `./build.sh calib`');
    folder.text('calibration.cache', calibrationCache(own?.export.cache_header ?? DEFAULT_HEADER, scales), `TensorRT INT8 calibration cache: ${scales.size} activation scales (amax / 127) of model.onnx's Q/DQ`);
  }
  const device = own?.device ?? 'the TensorRT device';
  const off = misaligned(model, own);
  folder.text('build.sh', buildScript(model, { precision, workspace: own?.export.workspace_mib ?? 1024, batch: own?.defaults.batch ?? 1, runtime, device }), `builds the ${precision} engine with trtexec`, true);
  folder.readme(`lithe export for ${runtime} (${precision})`, [
    `Copy this folder to the device (${device}) and run ./build.sh there:`,
    'it calls trtexec, which builds and saves the engine.',
    `All ${g.nodes.length} nodes were checked against ${table.name} (${table.source}) and are accepted.`,
    ...(precision === 'int8' ? ['int8: model.onnx carries symmetric Q/DQ (zero point 0, weights per output channel on axis 0, activations per tensor).',
      'calibration.cache holds the same activation scales for the float model, for TensorRT\'s implicit quantization; a cache',
      'from another TensorRT version is ignored: its first line must match the TensorRT on the device. A tensor',
      'with no line there (one the Q/DQ left in float) has no int8 range: its layers run in fp16 (--fp16).'] : []),
    ...alignmentNote(off, own),
    ...(own && own.precisions[precision]?.fast === false ? [`Note: ${precision} is not a fast path on ${own.name} (${own.precisions[precision]!.notes ?? 'see its profile'}).`] : []),
  ]);
  return { files: folder.files, details: { precision, opset, runtime, nodes_checked: g.nodes.length, misaligned: off.length, ...(cached && { calibration_scales: cached }) } };
}
