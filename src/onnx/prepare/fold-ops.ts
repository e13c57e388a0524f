// The ops the fold step evaluates, in TypeScript, on constant inputs: the shape arithmetic exporters write
// (Shape, Gather, Unsqueeze, Concat, Slice, Cast, ...) and element-wise arithmetic on initializers. Values are
// float64 arrays; a value may be partly known — the Shape of a tensor whose batch is symbolic has its batch
// element unknown, carried as the dimension's name — so that a Gather of a known dimension still folds.
// Each result is exact: integers stay integers (within 2^53; INT64's extremes, which Slice uses for "to the
// end", are clamped back when written), and float32 results are one IEEE operation in float64 rounded once
// to float32, which equals the float32 operation for + - * / and sqrt. Ops whose float results are not
// correctly rounded (exp, log, ...) are left to onnxruntime.
import { TensorProto_DataType as DT, type NodeProto, type TensorProto } from 'onnx-buf';
import { Attrs } from '../attrs.ts';
import { tensor } from '../make.ts';
import { elementCount, tensorValues } from '../tensor.ts';
import { fromHalfBits, toHalf, toHalfBits } from '../half.ts';

export interface Value {
  type: number;
  dims: number[];
  data: Float64Array;
  /** Elements not known before run time, by index: the name of the dimension they are ('?' when it has none). */
  sym?: Map<number, string>;
}

export interface FoldContext { attrs: Attrs; opset: number; node: NodeProto }
/** An op's outputs from its inputs (undefined: an absent optional input); undefined when it cannot fold them. */
export type FoldOp = (inputs: (Value | undefined)[], ctx: FoldContext) => Value[] | undefined;

const INTS = new Set<number>([DT.INT64, DT.INT32, DT.INT16, DT.INT8, DT.UINT8, DT.UINT16, DT.UINT32, DT.UINT64]);
/** The types folding reads and writes. */
export const FOLDABLE_TYPES = new Set<number>([DT.FLOAT, DT.FLOAT16, DT.DOUBLE, DT.INT64, DT.INT32, DT.INT8, DT.UINT8, DT.BOOL]);

const size = (dims: readonly number[]): number => dims.reduce((a, d) => a * d, 1);
const known = (v: Value | undefined): v is Value => !!v && !v.sym?.size;
const list = (v: Value | undefined): number[] | undefined => (known(v) ? [...v.data] : undefined);
const norm = (a: number, rank: number): number => (a < 0 ? a + rank : a);

/** Rounds a number to what a tensor of `type` holds. */
function cast(x: number, type: number): number {
  if (type === DT.FLOAT) return Math.fround(x);
  if (type === DT.FLOAT16) return fromHalfBits(toHalfBits(x));
  if (type === DT.BOOL) return x !== 0 ? 1 : 0;
  if (!INTS.has(type) || !Number.isFinite(x)) return x;
  const t = Math.trunc(x);
  const wrap: Partial<Record<number, (v: number) => number>> = {
    [DT.INT32]: (v) => v | 0, [DT.INT8]: (v) => (v << 24) >> 24, [DT.UINT8]: (v) => v & 0xff,
  };
  return wrap[type]?.(t) ?? t;
}

export function fromTensor(t: TensorProto): Value | undefined {
  if (!FOLDABLE_TYPES.has(t.dataType)) return undefined;
  const v = t.dataType === DT.BOOL ? (t.rawData.length ? Array.from(t.rawData) : t.int32Data)
    : t.dataType === DT.FLOAT16 ? halfValues(t) : tensorValues(t);
  if (!v || v.length !== elementCount(t)) return undefined;
  return { type: t.dataType, dims: t.dims.map(Number), data: Float64Array.from(v) };
}

/** float16 bits, from raw data or int32_data (where ONNX keeps them unpacked). */
function halfValues(t: TensorProto): number[] | undefined {
  const n = elementCount(t);
  if (t.rawData.length && t.rawData.length !== 2 * n) return undefined;
  const bits = t.rawData.length ? Array.from({ length: n }, (_, k) => t.rawData[2 * k]! | (t.rawData[2 * k + 1]! << 8)) : t.int32Data;
  return Array.from(bits, fromHalfBits);
}

const INT64_MAX = 2n ** 63n - 1n;
const int64 = (x: number): bigint => { const b = BigInt(x); return b > INT64_MAX ? INT64_MAX : b < -INT64_MAX - 1n ? -INT64_MAX - 1n : b; };

const ENCODE: Partial<Record<number, (d: Float64Array) => Float32Array | Float64Array | Int32Array | BigInt64Array | Int8Array | Uint8Array | Uint16Array>> = {
  [DT.FLOAT]: (d) => Float32Array.from(d), [DT.DOUBLE]: (d) => d, [DT.INT32]: (d) => Int32Array.from(d),
  [DT.INT64]: (d) => BigInt64Array.from(d, int64), [DT.INT8]: (d) => Int8Array.from(d), [DT.UINT8]: (d) => Uint8Array.from(d),
  [DT.BOOL]: (d) => Uint8Array.from(d), [DT.FLOAT16]: (d) => toHalf(Float32Array.from(d)),
};

export function toTensor(name: string, v: Value): TensorProto {
  return tensor(name, v.dims, ENCODE[v.type]!(v.data), v.type);
}

/** Row-major strides. */
const strides = (dims: readonly number[]): number[] => dims.map((_, i) => size(dims.slice(i + 1)));

/** Numpy broadcasting; undefined when the shapes do not broadcast. */
function broadcastDims(shapes: number[][]): number[] | undefined {
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
function broadcastIndex(out: number[], dims: number[]): Int32Array {
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
const divide = (type: number) => (a: number, b: number) => (INTS.has(type) ? (b === 0 ? Number.NaN : Math.trunc(a / b)) : a / b);

const binary = (f: (type: number) => (a: number, b: number) => number, out?: number): FoldOp => ([a, b]) =>
  a && b && a.type === b.type ? wrap(elementwise([a, b], out ?? a.type, f(a.type))) : undefined;
const unary = (f: (a: number) => number, floatOnly = false): FoldOp => ([a]) =>
  a && (!floatOnly || !INTS.has(a.type)) ? wrap(elementwise([a], a.type, f)) : undefined;
const wrap = (v: Value | undefined): Value[] | undefined => (v && !v.data.some(Number.isNaN) ? [v] : undefined);

/** Elements of `x` picked by flat source indices, keeping which are unknown. */
function pick(x: Value, dims: number[], from: ArrayLike<number>): Value {
  const data = new Float64Array(from.length);
  const sym = new Map<number, string>();
  for (let i = 0; i < from.length; i++) {
    data[i] = x.data[from[i]!]!;
    const s = x.sym?.get(from[i]!);
    if (s !== undefined) sym.set(i, s);
  }
  return { type: x.type, dims, data, ...(sym.size ? { sym } : {}) };
}

const view = (x: Value, dims: number[]): Value | undefined => (size(dims) === x.data.length ? { ...x, dims } : undefined);

/** Axes from the input (opset 13 on) or the attribute (before). */
const axesOf = (given: Value | undefined, ctx: FoldContext): number[] | undefined => (given ? list(given) : ctx.attrs.ints('axes'));

function gather([x, i]: (Value | undefined)[], ctx: FoldContext): Value[] | undefined {
  const ind = list(i);
  if (!x || !ind) return undefined;
  const axis = norm(ctx.attrs.int('axis', 0), x.dims.length);
  const d = x.dims[axis]!;
  if (ind.some((k) => k < -d || k >= d)) return undefined;
  const outer = size(x.dims.slice(0, axis));
  const inner = size(x.dims.slice(axis + 1));
  const from: number[] = [];
  for (let o = 0; o < outer; o++) for (const k of ind) for (let j = 0; j < inner; j++) from.push((o * d + norm(k, d)) * inner + j);
  return [pick(x, [...x.dims.slice(0, axis), ...i!.dims, ...x.dims.slice(axis + 1)], from)];
}

function concat(xs: (Value | undefined)[], ctx: FoldContext): Value[] | undefined {
  if (!xs.length || xs.some((x) => !x)) return undefined;
  const vs = xs as Value[];
  const rank = vs[0]!.dims.length;
  const axis = norm(ctx.attrs.int('axis', 0), rank);
  if (vs.some((v) => v.dims.length !== rank || v.type !== vs[0]!.type || v.dims.some((d, k) => k !== axis && d !== vs[0]!.dims[k]))) return undefined;
  const outer = size(vs[0]!.dims.slice(0, axis));
  const data: number[] = [];
  const sym = new Map<number, string>();
  for (let o = 0; o < outer; o++) {
    for (const v of vs) {
      const chunk = size(v.dims.slice(axis));
      for (let j = 0; j < chunk; j++) {
        const s = v.sym?.get(o * chunk + j);
        if (s !== undefined) sym.set(data.length, s);
        data.push(v.data[o * chunk + j]!);
      }
    }
  }
  const dims = [...vs[0]!.dims];
  dims[axis] = vs.reduce((a, v) => a + v.dims[axis]!, 0);
  return [{ type: vs[0]!.type, dims, data: Float64Array.from(data), ...(sym.size ? { sym } : {}) }];
}

function slice(inputs: (Value | undefined)[], ctx: FoldContext): Value[] | undefined {
  const x = inputs[0];
  if (!x) return undefined;
  const fromInputs = ctx.opset >= 10;
  const starts = fromInputs ? list(inputs[1]) : ctx.attrs.ints('starts');
  const ends = fromInputs ? list(inputs[2]) : ctx.attrs.ints('ends');
  const axes = (fromInputs ? (inputs[3] ? list(inputs[3]) : undefined) : ctx.attrs.ints('axes')) ?? starts?.map((_, k) => k);
  const steps = (fromInputs && inputs[4] ? list(inputs[4]) : undefined) ?? starts?.map(() => 1);
  if (!starts || !ends || !axes || !steps || (fromInputs && inputs[3] && !list(inputs[3])) || (inputs[4] && !list(inputs[4]))) return undefined;
  const ranges = x.dims.map((d) => ({ start: 0, step: 1, count: d }));
  for (const [k, a] of axes.entries()) {
    const ax = norm(a, x.dims.length);
    const d = x.dims[ax]!;
    const step = steps[k]!;
    if (step === 0) return undefined;
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + d : v, lo), hi);
    const [s, e] = step > 0 ? [clamp(starts[k]!, 0, d), clamp(ends[k]!, 0, d)] : [clamp(starts[k]!, 0, d - 1), clamp(ends[k]!, -1, d - 1)];
    ranges[ax] = { start: s, step, count: Math.max(0, Math.ceil((e - s) / step)) };
  }
  const dims = ranges.map((r) => r.count);
  const xs = strides(x.dims);
  const os = strides(dims);
  const from = new Float64Array(size(dims));
  for (let i = 0; i < from.length; i++) {
    let at = 0;
    let r = i;
    for (let k = 0; k < dims.length; k++) {
      const c = Math.floor(r / os[k]!);
      r -= c * os[k]!;
      at += (ranges[k]!.start + c * ranges[k]!.step) * xs[k]!;
    }
    from[i] = at;
  }
  return [pick(x, dims, from)];
}

function transpose([x]: (Value | undefined)[], ctx: FoldContext): Value[] | undefined {
  if (!x) return undefined;
  const rank = x.dims.length;
  const perm = ctx.attrs.ints('perm') ?? x.dims.map((_, k) => rank - 1 - k);
  const dims = perm.map((p) => x.dims[p]!);
  const xs = strides(x.dims);
  const os = strides(dims);
  const from = new Float64Array(x.data.length);
  for (let i = 0; i < from.length; i++) {
    let at = 0;
    let r = i;
    for (let k = 0; k < rank; k++) {
      const c = Math.floor(r / os[k]!);
      r -= c * os[k]!;
      at += c * xs[perm[k]!]!;
    }
    from[i] = at;
  }
  return [pick(x, dims, from)];
}

function reshape([x, s]: (Value | undefined)[], ctx: FoldContext): Value[] | undefined {
  const target = list(s);
  if (!x || !target) return undefined;
  const zero = ctx.attrs.int('allowzero', 0) === 1;
  const dims = target.map((d, k) => (d === 0 && !zero ? x.dims[k]! : d));
  const minus = dims.indexOf(-1);
  if (minus >= 0) dims[minus] = x.data.length / size(dims.filter((_, k) => k !== minus));
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) return undefined;
  const v = view(x, dims);
  return v && [v];
}

function squeeze([x, a]: (Value | undefined)[], ctx: FoldContext): Value[] | undefined {
  if (!x || (a && !list(a))) return undefined;
  const axes = axesOf(a, ctx)?.map((k) => norm(k, x.dims.length));
  const v = view(x, x.dims.filter((d, k) => (axes ? !axes.includes(k) : d !== 1)));
  return v && [v];
}

function unsqueeze([x, a]: (Value | undefined)[], ctx: FoldContext): Value[] | undefined {
  const given = axesOf(a, ctx);
  if (!x || !given) return undefined;
  const rank = x.dims.length + given.length;
  const axes = new Set(given.map((k) => norm(k, rank)));
  const dims: number[] = [];
  let j = 0;
  for (let k = 0; k < rank; k++) dims.push(axes.has(k) ? 1 : x.dims[j++]!);
  const v = view(x, dims);
  return v && [v];
}

function constantOfShape([s]: (Value | undefined)[], ctx: FoldContext): Value[] | undefined {
  const dims = list(s);
  const t = ctx.attrs.tensor('value');
  const v = t ? fromTensor(t) : { type: DT.FLOAT, dims: [1], data: Float64Array.of(0) };
  if (!dims || !v) return undefined;
  return [{ type: v.type, dims, data: new Float64Array(size(dims)).fill(v.data[0] ?? 0) }];
}

function range([start, limit, delta]: (Value | undefined)[]): Value[] | undefined {
  const [s, l, d] = [list(start)?.[0], list(limit)?.[0], list(delta)?.[0]];
  if (s === undefined || l === undefined || !d) return undefined;
  const n = Math.max(0, Math.ceil((l - s) / d));
  return [{ type: start!.type, dims: [n], data: Float64Array.from({ length: n }, (_, k) => cast(s + k * d, start!.type)) }];
}

function castOp([x]: (Value | undefined)[], ctx: FoldContext): Value[] | undefined {
  const to = ctx.attrs.int('to', 0);
  if (!x || !FOLDABLE_TYPES.has(to)) return undefined;
  // an unknown dimension stays one through an integer cast
  const keeps = INTS.has(x.type) && INTS.has(to);
  if (x.sym?.size && !keeps) return undefined;
  if (INTS.has(to) && x.data.some((v) => !Number.isFinite(v))) return undefined;
  return [{ ...x, type: to, data: x.data.map((v) => cast(v, to)) }];
}

function expand([x, s]: (Value | undefined)[]): Value[] | undefined {
  const target = list(s);
  if (!x || !target) return undefined;
  const dims = broadcastDims([x.dims, target]);
  return dims ? [pick(x, dims, broadcastIndex(dims, x.dims))] : undefined;
}

function where([c, a, b]: (Value | undefined)[]): Value[] | undefined {
  return c && a && b && a.type === b.type ? wrap(elementwise([c, a, b], a.type, (k, x, y) => (k ? x : y))) : undefined;
}

function size1([x]: (Value | undefined)[]): Value[] | undefined {
  return x && !x.sym?.size ? [{ type: DT.INT64, dims: [], data: Float64Array.of(x.data.length) }] : undefined;
}

const flatten = ([x]: (Value | undefined)[], ctx: FoldContext): Value[] | undefined => {
  if (!x) return undefined;
  const k = norm(ctx.attrs.int('axis', 1), x.dims.length);
  const v = view(x, [size(x.dims.slice(0, k)), size(x.dims.slice(k))]);
  return v && [v];
};

/** By op type. Shape is evaluated by the fold step itself, from inferred shapes; Identity is removed there. */
export const FOLD_OPS: Readonly<Record<string, FoldOp>> = {
  Add: binary(() => (a, b) => a + b), Cast: castOp, Ceil: unary(Math.ceil, true), Concat: concat, ConstantOfShape: constantOfShape,
  Div: binary(divide), Equal: binary(() => (a, b) => +(a === b), DT.BOOL), Expand: expand, Flatten: flatten, Floor: unary(Math.floor, true),
  Gather: gather, Greater: binary(() => (a, b) => +(a > b), DT.BOOL),
  Less: binary(() => (a, b) => +(a < b), DT.BOOL), Max: binary(() => Math.max), Min: binary(() => Math.min), Mul: binary(() => (a, b) => a * b),
  Neg: unary((a) => -a), Range: range, Reciprocal: unary((a) => 1 / a, true), Reshape: reshape, Size: size1,
  Slice: slice, Sqrt: unary(Math.sqrt, true), Squeeze: squeeze, Sub: binary(() => (a, b) => a - b), Transpose: transpose,
  Unsqueeze: unsqueeze, Where: where,
};
