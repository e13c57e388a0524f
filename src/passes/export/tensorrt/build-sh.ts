// build.sh: the trtexec line(s) that build the engine on the device, for the precision exported
// (trtexec 8.2 flags, shared/notes/deploy.md): --fp16; --int8 with the Q/DQ model, or --int8 --calib with
// the float model and the calibration cache; --workspace in MiB; --saveEngine; shapes for a dynamic input.
import type { ModelProto } from 'onnx-buf';

export interface BuildOptions { precision: 'fp32' | 'fp16' | 'int8'; workspace: number; batch: number; runtime: string; device: string }

/** `--minShapes/--optShapes/--maxShapes` at `batch` when an input has a symbolic dimension (trtexec needs them). */
function shapeFlags(model: ModelProto, batch: number): string {
  const inputs = model.graph!.input.filter((i) => !model.graph!.initializer.some((t) => t.name === i.name));
  const dims = inputs.map((i) => (i.type?.value.case === 'tensorType' ? i.type.value.value.shape?.dim ?? [] : []));
  if (!dims.some((ds) => ds.some((d) => d.value.case !== 'dimValue'))) return '';
  const shape = inputs.map((i, k) => `${i.name}:${dims[k]!.map((d, j) => (d.value.case === 'dimValue' ? String(d.value.value) : j === 0 ? String(batch) : '1')).join('x')}`).join(',');
  return ` --minShapes=${shape} --optShapes=${shape} --maxShapes=${shape}`;
}

const LINES: Record<BuildOptions['precision'], (common: string, shapes: string) => string[]> = {
  fp32: (c, s) => [`"$TRTEXEC" --onnx=model.onnx${s} ${c} --saveEngine=model_fp32.engine`],
  fp16: (c, s) => [`"$TRTEXEC" --onnx=model.onnx${s} --fp16 ${c} --saveEngine=model_fp16.engine`],
  int8: (c, s) => [
    'MODE="${1:-qdq}"',
    'case "$MODE" in',
    `  qdq) "$TRTEXEC" --onnx=model.onnx${s} --int8 --fp16 ${c} --saveEngine=model_int8.engine ;;`,
    `  calib) "$TRTEXEC" --onnx=model_float.onnx${s} --int8 --fp16 --calib=calibration.cache ${c} --saveEngine=model_int8_calib.engine ;;`,
    '  *) echo "usage: $0 [qdq|calib]" >&2; exit 2 ;;',
    'esac',
  ],
};

export function buildScript(model: ModelProto, o: BuildOptions): string {
  return [
    '#!/bin/sh',
    `# Builds the ${o.runtime} engine on the device: ${o.device}.`,
    '# Written by lithe. Engines are specific to the GPU and the TensorRT version, so run it there;',
    '# set TRTEXEC if trtexec is not at its JetPack place.',
    ...(o.precision === 'int8' ? ['# ./build.sh       explicit quantization: the Q/DQ model (model.onnx), the scales lithe calibrated', '# ./build.sh calib  implicit quantization: the float model with calibration.cache (same scales)'] : []),
    'set -eu',
    'cd "$(dirname "$0")"',
    'TRTEXEC="${TRTEXEC:-/usr/src/tensorrt/bin/trtexec}"',
    ...LINES[o.precision](`--workspace=${o.workspace}`, shapeFlags(model, o.batch)),
    '',
  ].join('\n');
}
