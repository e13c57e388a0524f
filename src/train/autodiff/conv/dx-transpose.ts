// dX of a convolution as ConvTranspose(dY, W) with the forward's strides, pads, dilations and group;
// output_padding restores the rows and columns a strided forward skipped. Fastest for stride 2.
import type { Emitter } from '../emit.ts';
import type { ConvSpec } from './spec.ts';

export function dxTranspose(e: Emitter, dy: string, w: string, s: ConvSpec): string {
  const extra = (len: number, o: number, st: number, k: number, d: number, p0: number, p1: number) => len - ((o - 1) * st + (k - 1) * d + 1 - p0 - p1);
  return e.op1('ConvTranspose', [dy, w], {
    kernel_shape: [s.kh, s.kw], strides: s.stride, pads: s.pads, dilations: s.dil, group: s.group,
    output_padding: [extra(s.h, s.oh, s.stride[0], s.kh, s.dil[0], s.pads[0], s.pads[2]), extra(s.w, s.ow, s.stride[1], s.kw, s.dil[1], s.pads[1], s.pads[3])],
  });
}
