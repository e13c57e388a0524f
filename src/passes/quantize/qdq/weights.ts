// Symmetric int8 weights: scale = max|w| / qmax over each output channel (or the whole tensor), values
// rounded half to even as QuantizeLinear does, zero point 0. qmax is 127 (the range TensorRT uses; −128 is
// never produced, so the grid is symmetric).
import { QuantizeError } from '../errors.ts';

export interface QuantizedWeight {
  values: Int8Array;
  /** One per channel along `axis`, or a single one. */
  scales: Float32Array;
}

/** Round half to even, the rounding of ONNX QuantizeLinear. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** `axis` undefined: one scale for the tensor. A channel of zeros gets scale 1 (any positive scale works).
 *  `given`: the scales to use (quantization-aware training's), one per channel or one; values beyond them clip. */
export function quantizeWeight(w: Float32Array, dims: readonly number[], axis: number | undefined, qmax = 127, given?: Float32Array): QuantizedWeight {
  const channels = axis === undefined ? 1 : dims[axis]!;
  const inner = axis === undefined ? w.length : dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channelOf = (i: number) => Math.floor(i / inner) % channels;
  const amax = new Float32Array(channels);
  for (let i = 0; i < w.length; i++) { const c = channelOf(i); const a = Math.abs(w[i]!); if (a > amax[c]!) amax[c] = a; }
  const scales = given ? checkedScales(given, channels) : amax.map((a) => (a > 0 ? a / qmax : 1));
  const values = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const q = roundHalfEven(w[i]! / scales[channelOf(i)]!);
    values[i] = Math.max(-qmax, Math.min(qmax, q));
  }
  return { values, scales };
}

function checkedScales(given: Float32Array, channels: number): Float32Array {
  if (given.length !== channels || given.some((s) => !(s > 0))) throw new QuantizeError(`weight scales: ${given.length} given for ${channels} channels, or one not positive`);
  return given;
}

/** int32 bias for QLinearConv/QGemm: b / (s_x · s_w[c]), the scale the int32 accumulator has. */
export function quantizeBias(b: Float32Array, inputScale: number, weightScales: Float32Array): { values: Int32Array; scales: Float32Array } {
  // the activation scale as the file stores it (float32), so s_x·s_w is what the runtime multiplies
  const sx = Math.fround(inputScale);
  const scales = new Float32Array(b.length).map((_, c) => sx * weightScales[weightScales.length === 1 ? 0 : c]!);
  const values = new Int32Array(b.length).map((_, c) => Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, roundHalfEven(b[c]! / scales[c]!))));
  return { values, scales: weightScales.length === 1 ? Float32Array.of(scales[0]!) : scales };
}
