// dW of any convolution (grouped and depthwise too) as a second Conv: X with batch and channels swapped,
// correlated with dY as the kernel; the roles of stride and dilation swap. Best at high resolution and for
// depthwise layers.
//   Xa = (X as [N, g, C/g, H, W] → [C/g, g·N, H, W]), K = dYᵀ [M, N, OH, OW]
//   dW = Conv(Xa, K, group g, strides = dilations, dilations = strides)ᵀ
import type { Emitter } from '../emit.ts';
import type { ConvSpec } from './spec.ts';

export function dwTrick(e: Emitter, dy: string, x: string, s: ConvSpec): string {
  const cg = s.c / s.group;
  let xa: string;
  if (s.group === 1) xa = e.op1('Transpose', [x], { perm: [1, 0, 2, 3] });
  else {
    const grouped = e.op1('Reshape', [x, e.ints([s.n, s.group, cg, s.h, s.w])]);
    xa = e.op1('Reshape', [e.op1('Transpose', [grouped], { perm: [2, 1, 0, 3, 4] }), e.ints([cg, s.group * s.n, s.h, s.w])]);
  }
  const k = e.op1('Transpose', [dy], { perm: [1, 0, 2, 3] });
  // rows and columns the forward never reached are trimmed from the end pads, so the result is kh × kw
  const unused = (len: number, p0: number, p1: number, o: number, st: number, kk: number, d: number) => len + p0 + p1 - ((o - 1) * st + 1) - (kk - 1) * d;
  const endH = Math.max(0, s.pads[2] - unused(s.h, s.pads[0], s.pads[2], s.oh, s.stride[0], s.kh, s.dil[0]));
  const endW = Math.max(0, s.pads[3] - unused(s.w, s.pads[1], s.pads[3], s.ow, s.stride[1], s.kw, s.dil[1]));
  const outH = Math.floor((s.h + s.pads[0] + endH - ((s.oh - 1) * s.stride[0] + 1)) / s.dil[0]) + 1;
  const outW = Math.floor((s.w + s.pads[1] + endW - ((s.ow - 1) * s.stride[1] + 1)) / s.dil[1]) + 1;
  let r = e.op1('Conv', [xa, k], {
    kernel_shape: [s.oh, s.ow], strides: s.dil, dilations: s.stride, pads: [s.pads[0], s.pads[1], endH, endW], group: s.group,
  });
  if (outH !== s.kh || outW !== s.kw) r = e.op1('Slice', [r, e.ints([0, 0]), e.ints([s.kh, s.kw]), e.ints([2, 3])]);
  return e.op1('Transpose', [r], { perm: [1, 0, 2, 3] });
}
