// Values the fold step computes with: a tensor's elements as float64 with its ONNX type, possibly partly
// known — the Shape of a tensor whose batch is symbolic has its batch element unknown, carried as the
// dimension's name — so that a Gather of a known dimension still folds. Read from and written back to
// TensorProtos exactly: integers stay integers (within 2^53; INT64's extremes, which Slice uses for "to the
// end", are clamped back when written), float32 and float16 results are rounded once to their type.
import { TensorProto_DataType as DT, type NodeProto, type TensorProto } from 'onnx-buf';
import type { Attrs } from '../../attrs.ts';
import { tensor } from '../../make.ts';
import { elementCount, tensorValues } from '../../tensor.ts';
import { fromHalfBits, toHalf, toHalfBits } from '../../half.ts';

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

export const INTS = new Set<number>([DT.INT64, DT.INT32, DT.INT16, DT.INT8, DT.UINT8, DT.UINT16, DT.UINT32, DT.UINT64]);
/** The types folding reads and writes. */
export const FOLDABLE_TYPES = new Set<number>([DT.FLOAT, DT.FLOAT16, DT.DOUBLE, DT.INT64, DT.INT32, DT.INT8, DT.UINT8, DT.BOOL]);

export const size = (dims: readonly number[]): number => dims.reduce((a, d) => a * d, 1);
export const known = (v: Value | undefined): v is Value => !!v && !v.sym?.size;
export const list = (v: Value | undefined): number[] | undefined => (known(v) ? [...v.data] : undefined);
export const norm = (a: number, rank: number): number => (a < 0 ? a + rank : a);

/** Rounds a number to what a tensor of `type` holds. */
export function cast(x: number, type: number): number {
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
export const strides = (dims: readonly number[]): number[] => dims.map((_, i) => size(dims.slice(i + 1)));

/** Elements of `x` picked by flat source indices, keeping which are unknown. */
export function pick(x: Value, dims: number[], from: ArrayLike<number>): Value {
  const data = new Float64Array(from.length);
  const sym = new Map<number, string>();
  for (let i = 0; i < from.length; i++) {
    data[i] = x.data[from[i]!]!;
    const s = x.sym?.get(from[i]!);
    if (s !== undefined) sym.set(i, s);
  }
  return { type: x.type, dims, data, ...(sym.size ? { sym } : {}) };
}

export const view = (x: Value, dims: number[]): Value | undefined => (size(dims) === x.data.length ? { ...x, dims } : undefined);
