// The calibration images as converter_lite's BIN inputs: one file per image holding the model's input
// buffer, 4-D inputs in NHWC (MindSpore Lite's layout), float32 little-endian.
import type { Batch } from '../../../data/batches.ts';
import type { ExportFolder } from '../folder.ts';

/** NCHW (one image) → NHWC. */
function toNhwc(x: Float32Array, c: number): Float32Array {
  const hw = x.length / c;
  const out = new Float32Array(x.length);
  for (let k = 0; k < c; k++) for (let i = 0; i < hw; i++) out[i * c + k] = x[k * hw + i]!;
  return out;
}

/** Writes `dir/NNNN.bin` per image of `batches` (batch 1 each); returns the count. */
export function calibrationBins(folder: ExportFolder, batches: readonly Batch[], dir: string, channels: number, alreadyNhwc: boolean): number {
  let n = 0;
  for (const b of batches) {
    for (let i = 0; i < b.count; i++) {
      const per = b.input.length / b.count;
      const img = b.input.subarray(i * per, (i + 1) * per);
      const nhwc = alreadyNhwc ? Float32Array.from(img) : toNhwc(img, channels);
      folder.bytes(`${dir}/${String(n).padStart(4, '0')}.bin`, new Uint8Array(nhwc.buffer), '');
      n++;
    }
  }
  folder.note(`${dir}/`, `${n} calibration images, 0000.bin to ${String(n - 1).padStart(4, '0')}.bin: the model's input, NHWC float32`);
  return n;
}
