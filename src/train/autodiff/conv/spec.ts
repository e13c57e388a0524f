// A 2-D convolution's geometry, read once from the node and its static shapes, for the gradient variants.
import type { GradContext } from '../types.ts';
import { AutodiffError } from '../types.ts';

export interface ConvSpec {
  n: number; c: number; h: number; w: number; // input
  m: number; kh: number; kw: number; // weight [m, c / group, kh, kw]
  oh: number; ow: number; // output
  stride: [number, number];
  /** top, left, bottom, right */
  pads: [number, number, number, number];
  dil: [number, number];
  group: number;
}

export function convSpec(ctx: GradContext): ConvSpec {
  const [x, w] = ctx.node.input as [string, string];
  const xs = ctx.shape(x);
  const ws = ctx.shape(w);
  const ys = ctx.shape(ctx.node.output[0]!);
  if (xs.length !== 4) throw new AutodiffError(`node '${ctx.node.name}' (Conv): training supports 2-D convolutions only`);
  const a = ctx.attrs;
  if (a.string('auto_pad', 'NOTSET') !== 'NOTSET') throw new AutodiffError(`node '${ctx.node.name}' (Conv): training needs explicit pads, not auto_pad`);
  return {
    n: xs[0]!, c: xs[1]!, h: xs[2]!, w: xs[3]!, m: ws[0]!, kh: ws[2]!, kw: ws[3]!, oh: ys[2]!, ow: ys[3]!,
    stride: (a.ints('strides') ?? [1, 1]) as [number, number],
    pads: (a.ints('pads') ?? [0, 0, 0, 0]) as [number, number, number, number],
    dil: (a.ints('dilations') ?? [1, 1]) as [number, number],
    group: a.int('group', 1),
  };
}

export const isPointwise = (s: ConvSpec) => s.kh === 1 && s.kw === 1 && s.stride.every((v) => v === 1) && s.pads.every((v) => v === 0) && s.group === 1;
