// Whether this machine's onnxruntime int8 kernels can saturate with full-range (8-bit) weights. Without
// VNNI, onnxruntime's x86 int8 GEMM (MLAS, AVX2 or AVX-512BW) multiplies u8 activations by s8 weights with
// vpmaddubsw, which adds each pair of products into int16 with saturation: 2·255·127 = 64770 overflows it,
// and the layer's output silently differs from the QDQ model's meaning (measured on yolov3-tiny: an output
// error of 1.7 against 0.2). 7-bit weights (|q| ≤ 63, onnxruntime's `reduce_range`) keep 2·255·63 within
// int16 at the cost of one bit of weight precision. With VNNI (vpdpbusd accumulates in int32), on ARM, and
// in TensorRT, full-range weights are exact.
import { readFileSync } from 'node:fs';
import { arch } from 'node:os';

/** `cpuinfo`: /proc/cpuinfo's text (read when not given); false where it cannot be read. */
export function int8GemmSaturates(cpuinfo?: string): boolean {
  if (cpuinfo === undefined && arch() !== 'x64' && arch() !== 'ia32') return false;
  let text = cpuinfo;
  try {
    text ??= readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return false;
  }
  const flags = new Set((/^flags\s*:(.*)$/m.exec(text)?.[1] ?? '').trim().split(/\s+/));
  return flags.has('avx2') && !flags.has('avx512_vnni') && !flags.has('avx_vnni');
}
