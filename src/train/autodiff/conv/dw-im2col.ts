// dW of a group-1 convolution through im2col and one Gemm: the input, channels first ([C, N, H, W]), padded,
// cut into one strided Slice per kernel tap, stacked to columns [C·kh·kw, N·OH·OW] without moving the big
// tensor again; then dW = dY [M, N·OH·OW] × columnsᵀ. Building X channels-first costs one transpose of the
// input, far less than transposing the columns, and one Gemm avoids a per-sample product summed afterwards.
import type { Emitter } from '../emit.ts';
import type { ConvSpec } from './spec.ts';

/** Floats in the column tensor: the variant's memory cost. */
export const im2colSize = (s: ConvSpec) => s.c * s.kh * s.kw * s.n * s.oh * s.ow;

export function dwIm2col(e: Emitter, dy: string, x: string, s: ConvSpec): string {
  const cfirst = e.op1('Transpose', [x], { perm: [1, 0, 2, 3] });
  const padded = s.pads.some((p) => p) ? e.op1('Pad', [cfirst, e.ints([0, 0, s.pads[0], s.pads[1], 0, 0, s.pads[2], s.pads[3]])]) : cfirst;
  const taps: string[] = [];
  for (let a = 0; a < s.kh; a++) {
    for (let b = 0; b < s.kw; b++) {
      const start = [a * s.dil[0], b * s.dil[1]];
      const end = [start[0]! + (s.oh - 1) * s.stride[0] + 1, start[1]! + (s.ow - 1) * s.stride[1] + 1];
      const tap = e.op1('Slice', [padded, e.ints(start), e.ints(end), e.ints([2, 3]), e.ints(s.stride)]);
      taps.push(e.op1('Unsqueeze', [tap, e.ints([1])]));
    }
  }
  const stacked = taps.length === 1 ? taps[0]! : e.op1('Concat', taps, { axis: 1 });
  const cols = e.op1('Reshape', [stacked, e.ints([s.c * s.kh * s.kw, s.n * s.oh * s.ow])]);
  const rows = e.op1('Reshape', [e.op1('Transpose', [dy], { perm: [1, 0, 2, 3] }), e.ints([s.m, s.n * s.oh * s.ow])]);
  return e.op1('Reshape', [e.op1('Gemm', [rows, cols], { transB: 1 }), e.ints([s.m, s.c, s.kh, s.kw])]);
}
