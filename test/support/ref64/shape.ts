// Ops that only change shapes or make constants: Reshape, Flatten, Squeeze, Unsqueeze, Expand, Shape,
// ConstantOfShape, Constant.
import { tensorValues } from '../../../src/onnx/tensor.ts';
import type { TensorProto } from 'onnx-buf';
import { axis, broadcastIndex, broadcastShape, list, need, size, type Op, type T64 } from './tensor.ts';

const view = (x: T64, dims: number[]): T64 => {
  if (size(dims) !== x.data.length) throw new Error(`cannot view [${x.dims}] as [${dims}]`);
  return { dims, data: x.data.slice() };
};

/** A tensor attribute's values, as float64. */
export function fromProto(t: TensorProto): T64 {
  const v = tensorValues(t) ?? (t.dataType === 9 ? Array.from(t.rawData) : undefined);
  if (!v) throw new Error(`tensor '${t.name}': cannot read its values (data type ${t.dataType})`);
  return { dims: t.dims.map(Number), data: Float64Array.from(v) };
}

export const shape: Record<string, Op> = {
  Constant: (_, at) => {
    const t = at.tensor('value');
    if (t) return [fromProto(t)];
    const f = at.floats('value_floats') ?? at.ints('value_ints');
    if (f) return [{ dims: [f.length], data: Float64Array.from(f) }];
    const s = at.has('value_float') ? at.float('value_float', 0) : at.int('value_int', 0);
    return [{ dims: [], data: Float64Array.of(s) }];
  },
  ConstantOfShape: ([s], at) => {
    const t = at.tensor('value'), v = t ? fromProto(t).data[0]! : 0, dims = list(s) ?? [];
    return [{ dims, data: new Float64Array(size(dims)).fill(v) }];
  },
  Expand: ([x, s]) => {
    const dims = broadcastShape(x!.dims, list(need(s, 'Expand shape'))!), idx = broadcastIndex(dims, x!.dims);
    const y = new Float64Array(idx.length), X = x!.data;
    for (let i = 0; i < y.length; i++) y[i] = X[idx[i]!]!;
    return [{ dims, data: y }];
  },
  Flatten: ([x], at) => {
    const r = x!.dims.length, a = at.int('axis', 1), k = a < 0 ? a + r : a;
    return [view(x!, [size(x!.dims.slice(0, k)), size(x!.dims.slice(k))])];
  },
  Reshape: ([x, s], at) => {
    const zero = at.int('allowzero', 0) === 1;
    const dims = list(need(s, 'Reshape shape'))!.map((d, i) => (d === 0 && !zero ? x!.dims[i]! : d));
    const k = dims.indexOf(-1);
    if (k >= 0) dims[k] = x!.data.length / size(dims.filter((_, i) => i !== k));
    return [view(x!, dims)];
  },
  Shape: ([x], at) => {
    const r = x!.dims.length, clamp = (v: number) => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
    const d = x!.dims.slice(clamp(at.int('start', 0)), clamp(at.int('end', r)));
    return [{ dims: [d.length], data: Float64Array.from(d) }];
  },
  Squeeze: ([x, a], at) => {
    const r = x!.dims.length, axes = (list(a) ?? at.ints('axes'))?.map((v) => axis(v, r));
    return [view(x!, x!.dims.filter((d, i) => (axes ? !axes.includes(i) : d !== 1)))];
  },
  Unsqueeze: ([x, a], at) => {
    const r = x!.dims.length + (list(a) ?? at.ints('axes') ?? []).length;
    const axes = (list(a) ?? at.ints('axes') ?? []).map((v) => axis(v, r)), dims: number[] = [];
    for (let i = 0, j = 0; i < r; i++) dims.push(axes.includes(i) ? 1 : x!.dims[j++]!);
    return [view(x!, dims)];
  },
};
