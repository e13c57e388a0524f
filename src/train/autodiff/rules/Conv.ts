// Conv: dX, dW and dB, each in the form that is fastest for the layer (the spike's measurements on 2 cores):
// dX by a flipped-kernel Conv at stride 1, by ConvTranspose otherwise; dW by one Gemm for pointwise layers,
// by im2col for group-1 layers while its columns fit in memory, by the conv trick otherwise (grouped and
// depthwise layers); dB = Σ dY over N, H, W.
import { convSpec, isPointwise, type ConvSpec } from '../conv/spec.ts';
import { dxTranspose } from '../conv/dx-transpose.ts';
import { dxFlip } from '../conv/dx-flip.ts';
import { dwTrick } from '../conv/dw-trick.ts';
import { dwGemm } from '../conv/dw-gemm.ts';
import { dwIm2col, im2colSize } from '../conv/dw-im2col.ts';
import type { GradContext, GradRule } from '../types.ts';

/**
 * im2col's columns hold C·kh·kw·N·OH·OW floats. Measured on yolov3-tiny at 320 (batch 8), it beats the conv
 * trick at every group-1 layer, most at high resolution with few channels, where the trick's kernel is the
 * whole feature map (layer 2: 113 ms → see bench:train). Above this many floats (512 MiB) the trick is used.
 */
const IM2COL_MAX_FLOATS = 128 * 2 ** 20;

function dx(ctx: GradContext, dy: string, w: string, s: ConvSpec): string {
  const choice = ctx.options.dx ?? 'auto';
  const flipped = choice !== 'transpose' ? dxFlip(ctx.emit, dy, w, s) : undefined;
  return flipped ?? dxTranspose(ctx.emit, dy, w, s);
}

function dw(ctx: GradContext, dy: string, x: string, s: ConvSpec): string {
  const choice = ctx.options.dw ?? 'auto';
  if (isPointwise(s) && (choice === 'auto' || choice === 'gemm')) return dwGemm(ctx.emit, dy, x, s);
  const im2col = s.group === 1 && (choice === 'im2col' || (choice === 'auto' && im2colSize(s) <= IM2COL_MAX_FLOATS));
  return im2col ? dwIm2col(ctx.emit, dy, x, s) : dwTrick(ctx.emit, dy, x, s);
}

export const Conv: GradRule = {
  op: 'Conv',
  params: [1, 2],
  grad(ctx) {
    const [x, w, b] = ctx.node.input as [string, string, string | undefined];
    const s = convSpec(ctx);
    const dy = ctx.dy()!;
    return [
      ctx.wants(0) ? dx(ctx, dy, w, s) : undefined,
      ctx.wants(1) ? dw(ctx, dy, x, s) : undefined,
      b && ctx.wants(2) ? ctx.emit.op1('ReduceSum', [dy, ctx.emit.ints([0, 2, 3])], { keepdims: 0 }) : undefined,
    ];
  },
};
