// TensorRT's INT8 calibration cache, text (shared/notes/deploy.md): a header line `TRT-<version>-
// EntropyCalibration2`, then `<tensor>: <8 hex digits>` per activation, the hex being the big-endian IEEE
// float32 bits of the scale amax / 127 (what Python's struct.pack('>f', scale).hex() prints).
import { LitheError } from '../../../errors.ts';

const hexOf = (x: number): string => { const b = Buffer.alloc(4); b.writeFloatBE(x); return b.toString('hex'); };

export function calibrationCache(header: string, scales: ReadonlyMap<string, number>): string {
  return [header, ...[...scales].map(([name, s]) => `${name}: ${hexOf(s)}`), ''].join('\n');
}

/** The cache read back: its header and each tensor's scale (as float32). */
export function parseCalibrationCache(text: string): { header: string; scales: Map<string, number> } {
  const [header = '', ...lines] = text.split('\n').filter((l) => l !== '');
  if (!/^TRT-\d+-(EntropyCalibration2|MinMaxCalibration)$/.test(header)) throw new LitheError(`not a TensorRT calibration cache: first line '${header}'`);
  const scales = new Map<string, number>();
  for (const l of lines) {
    const m = /^(.+): ([0-9a-f]{8})$/.exec(l);
    if (!m) throw new LitheError(`calibration cache: bad line '${l}'`);
    scales.set(m[1]!, Buffer.from(m[2]!, 'hex').readFloatBE(0));
  }
  return { header, scales };
}
