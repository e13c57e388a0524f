// Element-wise folding with numpy broadcasting: arithmetic, comparisons and Where. A float32 result is one
// IEEE operation in float64 rounded once to float32, which equals the float32 operation for + - * / and
// sqrt; ops whose float results are not correctly rounded (exp, log, ...) are left to onnxruntime.
import { cast, INTS, size, strides, type FoldOp, type Value } from './value.ts';

/** Numpy broadcasting; undefined when the shapes do not broadcast. */
export function broadcastDims(shapes: number[][]): number[] | undefined {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let k = 0; k < rank; k++) {
    const ds = shapes.map((s) => s[s.length - rank + k] ?? 1);
    const d = Math.max(...ds);
    if (ds.some((x) => x !== 1 && x !== d)) return undefined;
    out.push(ds.includes(0) ? 0 : d);
  }
  return out;
}

/** For each output index, the index it reads in a tensor of `dims` broadcast to `out`. */
export function broadcastIndex(out: number[], dims: number[]): Int32Array {
  const n = size(out);
  const idx = new Int32Array(n);
  const os = strides(out);
  const pad = out.length - dims.length;
  const is = strides(dims);
  for (let i = 0; i < n; i++) {
    let r = i;
    let at = 0;
    for (let k = 0; k < out.length; k++) {
      const c = Math.floor(r / os[k]!);
      r -= c * os[k]!;
      if (k >= pad && dims[k - pad] !== 1) at += c * is[k - pad]!;
    }
    idx[i] = at;
  }
  return idx;
}

/** An element-wise op of any arity with broadcasting; an unknown input element makes the output's unknown. */
function elementwise(xs: Value[], type: number, f: (...a: number[]) => number): Value | undefined {
  const dims = broadcastDims(xs.map((x) => x.dims));
  if (!dims) return undefined;
  const idx = xs.map((x) => broadcastIndex(dims, x.dims));
  const data = new Float64Array(size(dims));
  const sym = new Map<number, string>();
  for (let i = 0; i < data.length; i++) {
    if (xs.some((x, k) => x.sym?.has(idx[k]![i]!))) { sym.set(i, '?'); continue; }
    data[i] = cast(f(...xs.map((x, k) => x.data[idx[k]![i]!]!)), type);
  }
  return { type, dims, data, ...(sym.size ? { sym } : {}) };
}

/** Integer division truncates toward zero, as onnxruntime's kernels do. */
export const divide = (type: number) => (a: number, b: number) => (INTS.has(type) ? (b === 0 ? Number.NaN : Math.trunc(a / b)) : a / b);

export const binary = (f: (type: number) => (a: number, b: number) => number, out?: number): FoldOp => ([a, b]) =>
  a && b && a.type === b.type ? wrap(elementwise([a, b], out ?? a.type, f(a.type))) : undefined;
export const unary = (f: (a: number) => number, floatOnly = false): FoldOp => ([a]) =>
  a && (!floatOnly || !INTS.has(a.type)) ? wrap(elementwise([a], a.type, f)) : undefined;
const wrap = (v: Value | undefined): Value[] | undefined => (v && !v.data.some(Number.isNaN) ? [v] : undefined);

export function where([c, a, b]: (Value | undefined)[]): Value[] | undefined {
  return c && a && b && a.type === b.type ? wrap(elementwise([c, a, b], a.type, (k, x, y) => (k ? x : y))) : undefined;
}
