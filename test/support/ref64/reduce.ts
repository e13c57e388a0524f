// ReduceSum, ReduceMean and ReduceSumSquare: axes from the input (opset 13 ReduceSum, opset 18) or the attribute.
import type { Attrs } from '../../../src/onnx/attrs.ts';
import { axis, broadcastIndex, size, type Op, type T64 } from './tensor.ts';

function reduce(x: T64, axesIn: T64 | undefined, at: Attrs, mean: boolean): T64 {
  const r = x.dims.length, keep = at.int('keepdims', 1) === 1;
  let axes = (axesIn ? Array.from(axesIn.data) : at.ints('axes') ?? []).map((a) => axis(a, r));
  if (!axes.length) {
    if (at.int('noop_with_empty_axes', 0) === 1) return { dims: [...x.dims], data: x.data.slice() };
    axes = x.dims.map((_, i) => i);
  }
  const kept = x.dims.map((d, i) => (axes.includes(i) ? 1 : d));
  // each input element's output slot: the kept shape broadcasts to the input shape
  const idx = broadcastIndex(x.dims, kept), Y = new Float64Array(size(kept)), X = x.data;
  for (let i = 0; i < X.length; i++) Y[idx[i]!]! += X[i]!;
  if (mean) { const n = X.length / Y.length; for (let i = 0; i < Y.length; i++) Y[i]! /= n; }
  return { dims: keep ? kept : x.dims.filter((_, i) => !axes.includes(i)), data: Y };
}

export const ReduceMean: Op = ([x, axes], at) => [reduce(x!, axes, at, true)];
export const ReduceSum: Op = ([x, axes], at) => [reduce(x!, axes, at, false)];
export const ReduceSumSquare: Op = ([x, axes], at) => [reduce({ dims: x!.dims, data: x!.data.map((v) => v * v) }, axes, at, false)];
