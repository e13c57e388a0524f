// Float64 tensors for the reference interpreter: dims plus a flat row-major Float64Array. Integers (shapes,
// axes, indices) and booleans (0/1) are numbers too.
import type { NodeProto } from 'onnx-buf';
import type { Attrs } from '../../../src/onnx/attrs.ts';

export interface T64 { dims: number[]; data: Float64Array }

export const size = (dims: readonly number[]): number => dims.reduce((a, d) => a * d, 1);

export const t64 = (dims: readonly number[], data?: ArrayLike<number>): T64 =>
  ({ dims: [...dims], data: data ? Float64Array.from(data) : new Float64Array(size(dims)) });

/** Row-major strides of `dims`. */
export function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length);
  for (let i = dims.length - 1, k = 1; i >= 0; i--) { s[i] = k; k *= dims[i]!; }
  return s;
}

/** A possibly negative axis made non-negative for rank `rank`. */
export function axis(a: number, rank: number): number {
  const r = a < 0 ? a + rank : a;
  if (r < 0 || r >= rank) throw new Error(`axis ${a} is out of range for rank ${rank}`);
  return r;
}

/** The numpy broadcast of shapes. */
export function broadcastShape(...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i, d = s[i]!;
      if (d !== 1 && out[o] !== 1 && out[o] !== d) throw new Error(`shapes ${shapes.map((x) => `[${x}]`).join(' ')} do not broadcast`);
      if (d !== 1) out[o] = d;
    }
  }
  return out;
}

/** For each flat index of `out`, the flat index of the element of a tensor of shape `dims` that numpy
 * broadcasting reads there (`dims` broadcasts to `out`). */
export function broadcastIndex(out: readonly number[], dims: readonly number[]): Int32Array {
  const n = size(out), idx = new Int32Array(n);
  if (size(dims) === n) { for (let i = 0; i < n; i++) idx[i] = i; return idx; }
  const rank = out.length, st = strides(dims), bs = new Array<number>(rank).fill(0);
  for (let i = 0; i < dims.length; i++) bs[rank - dims.length + i] = dims[i] === 1 ? 0 : st[i]!;
  const ctr = new Array<number>(rank).fill(0);
  for (let i = 0, j = 0; i < n; i++) {
    idx[i] = j;
    for (let a = rank - 1; a >= 0; a--) {
      j += bs[a]!;
      if (++ctr[a]! < out[a]!) break;
      j -= bs[a]! * out[a]!; ctr[a] = 0;
    }
  }
  return idx;
}

/** Values of an input that must be present (shapes, axes). */
export function need(t: T64 | undefined, what: string): T64 {
  if (!t) throw new Error(`missing input: ${what}`);
  return t;
}

/** Values of an optional constant input as plain numbers. */
export const list = (t: T64 | undefined): number[] | undefined => (t ? Array.from(t.data) : undefined);

/** An op: its inputs (undefined where an optional one is left out), attributes and node, to its outputs. */
export type Op = (inputs: (T64 | undefined)[], attrs: Attrs, node: NodeProto) => T64[];
