// dW of a group-1 convolution through per-sample im2col: one strided Slice of the padded input per kernel
// tap, concatenated to [N, C·kh·kw, OH·OW], then a batched MatMul with dY (onnxruntime fuses the Transpose
// into it) summed over the batch. Best for 3×3 layers at low resolution.
import type { Emitter } from '../emit.ts';
import type { ConvSpec } from './spec.ts';

export function dwIm2col(e: Emitter, dy: string, x: string, s: ConvSpec): string {
  const padded = e.op1('Pad', [x, e.ints([0, 0, s.pads[0], s.pads[1], 0, 0, s.pads[2], s.pads[3]])]);
  const taps: string[] = [];
  for (let a = 0; a < s.kh; a++) {
    for (let b = 0; b < s.kw; b++) {
      const start = [a * s.dil[0], b * s.dil[1]];
      const end = [start[0]! + (s.oh - 1) * s.stride[0] + 1, start[1]! + (s.ow - 1) * s.stride[1] + 1];
      const tap = e.op1('Slice', [padded, e.ints(start), e.ints(end), e.ints([2, 3]), e.ints(s.stride)]);
      taps.push(e.op1('Unsqueeze', [tap, e.ints([2])]));
    }
  }
  const cols = taps.length === 1 ? taps[0]! : e.op1('Concat', taps, { axis: 2 });
  const col = e.op1('Reshape', [cols, e.ints([s.n, s.c * s.kh * s.kw, s.oh * s.ow])]);
  const dyr = e.op1('Reshape', [dy, e.ints([s.n, s.m, s.oh * s.ow])]);
  const prod = e.op1('MatMul', [dyr, e.op1('Transpose', [col], { perm: [0, 2, 1] })]);
  const sum = e.op1('ReduceSum', [prod, e.ints([0])], { keepdims: 0 });
  return e.op1('Reshape', [sum, e.ints([s.m, s.c, s.kh, s.kw])]);
}
