// The ops the fold step evaluates, in TypeScript, on constant inputs: the shape arithmetic exporters write
// (Shape, Gather, Unsqueeze, Concat, Slice, Cast, ...) and element-wise arithmetic on initializers, by op type.
// value.ts holds the values and their exact reading and writing, elementwise.ts and layout.ts the two big
// families; the few ops that make values are here.
import { TensorProto_DataType as DT } from 'onnx-buf';
import { binary, divide, unary, where } from './elementwise.ts';
import { concat, expand, flatten, gather, reshape, slice, squeeze, transpose, unsqueeze } from './layout.ts';
import { cast, FOLDABLE_TYPES, fromTensor, INTS, list, size, type FoldContext, type FoldOp, type Value } from './value.ts';

export type { FoldOp, Value } from './value.ts';
export { fromTensor, toTensor } from './value.ts';

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

function size1([x]: (Value | undefined)[]): Value[] | undefined {
  return x && !x.sym?.size ? [{ type: DT.INT64, dims: [], data: Float64Array.of(x.data.length) }] : undefined;
}

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
