// Helpers the shape rules share: numpy broadcasting with symbolic dimensions, sliding windows, axes.
import { ShapeError, type Dim, type ShapeContext, type ValueType } from './types.ts';

export const same = (ctx: ShapeContext, i = 0): ValueType | undefined => ctx.inputs[i];

/** The input's shape, or an error naming the node when it must be known. */
export function shapeOf(ctx: ShapeContext, i = 0): Dim[] | undefined {
  return ctx.inputs[i]?.shape;
}

export function fail(ctx: ShapeContext, message: string): never {
  throw new ShapeError(`node '${ctx.node.name}' (${ctx.node.opType}): ${message}`);
}

/** Numpy broadcasting; a symbolic dimension against 1 stays symbolic, against a number becomes that number. */
export function broadcast(ctx: ShapeContext, shapes: (Dim[] | undefined)[]): Dim[] | undefined {
  if (shapes.some((s) => !s)) return undefined;
  const rank = Math.max(...shapes.map((s) => s!.length));
  const out: Dim[] = [];
  for (let k = 0; k < rank; k++) {
    let d: Dim = 1;
    for (const s of shapes) {
      const x = s![s!.length - rank + k] ?? 1;
      if (x === 1) continue;
      if (d === 1 || d === x) d = x;
      else if (typeof d === 'string') d = x;
      else if (typeof x !== 'string') fail(ctx, `cannot broadcast ${fmt(shapes[0])} with ${fmt(shapes[1])}`);
    }
    out.push(d);
  }
  return out;
}

export const fmt = (s: Dim[] | undefined): string => (s ? `[${s.join(', ')}]` : '[?]');

/** A Slice's start and end on an axis of length `dim`, normalised and clamped as the ONNX spec says: into
 * [0, dim] for positive steps; start into [0, dim - 1] and end into [-1, dim - 1] for negative ones. */
export function sliceBounds(start: number, end: number, step: number, dim: number): [number, number] {
  const norm = (v: number) => (v < 0 ? v + dim : v);
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  return step > 0 ? [clamp(norm(start), 0, dim), clamp(norm(end), 0, dim)] : [clamp(norm(start), 0, dim - 1), clamp(norm(end), -1, dim - 1)];
}

export function normAxis(ctx: ShapeContext, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) fail(ctx, `axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** Output length of a sliding window (conv, pool), with ONNX's pads, dilations, auto_pad and ceil_mode. */
export function window(size: Dim, k: number, stride: number, padBegin: number, padEnd: number, dilation: number, autoPad: string, ceil: boolean): Dim {
  if (typeof size === 'string') return '?'; // a symbolic height or width: the output's is unknown too
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(size / stride);
  const ek = (k - 1) * dilation + 1;
  const pads = autoPad === 'VALID' ? 0 : padBegin + padEnd;
  const n = (size + pads - ek) / stride;
  return (ceil ? Math.ceil(n) : Math.floor(n)) + 1;
}

/** Conv-like spatial output shape: N, `channels`, then each spatial dimension through `window`. */
export function spatial(ctx: ShapeContext, x: Dim[], channels: Dim, kernel: number[]): Dim[] {
  const r = x.length - 2;
  if (r < 1) fail(ctx, `the input ${fmt(x)} has no spatial dimensions to slide a window over`);
  const strides = ctx.attrs.ints('strides') ?? Array<number>(r).fill(1);
  const dil = ctx.attrs.ints('dilations') ?? Array<number>(r).fill(1);
  const pads = ctx.attrs.ints('pads') ?? Array<number>(2 * r).fill(0);
  const autoPad = ctx.attrs.string('auto_pad', 'NOTSET');
  const ceil = ctx.attrs.int('ceil_mode', 0) === 1;
  if (kernel.length !== r) fail(ctx, `kernel ${fmt(kernel)} does not match the ${r} spatial dimensions of ${fmt(x)}`);
  if (strides.length !== r || dil.length !== r || pads.length !== 2 * r) fail(ctx, `strides, dilations or pads do not match the ${r} spatial dimensions of ${fmt(x)}`);
  const out = x.slice(2).map((d, i) => window(d, kernel[i]!, strides[i]!, pads[i]!, pads[i + r]!, dil[i]!, autoPad, ceil));
  if (out.some((d) => typeof d === 'number' && d < 1)) fail(ctx, `the window ${fmt(kernel)} does not fit the input ${fmt(x)}`);
  return [x[0]!, channels, ...out];
}
