// ScatterElements (reduction none, add, mul, max, min) and MaxUnpool (with its output shape given).
import { axis, size, strides, type Op } from './tensor.ts';

export const ScatterElements: Op = ([x, ind, upd], at) => {
  const d = x!.dims, r = d.length, a = axis(at.int('axis', 0), r), red = at.string('reduction', 'none');
  const y = { dims: [...d], data: x!.data.slice() }, Y = y.data, st = strides(d), id = ind!.dims, ist = strides(id);
  for (let i = 0; i < ind!.data.length; i++) {
    // the target: the update's coordinates with the one along `axis` replaced by the index
    let k = 0, rem = i;
    for (let q = 0; q < r; q++) {
      const c = Math.floor(rem / ist[q]!);
      rem -= c * ist[q]!;
      let v = c;
      if (q === a) { v = ind!.data[i]!; if (v < 0) v += d[a]!; }
      k += v * st[q]!;
    }
    const u = upd!.data[i]!;
    Y[k] = red === 'add' ? Y[k]! + u : red === 'mul' ? Y[k]! * u : red === 'max' ? Math.max(Y[k]!, u) : red === 'min' ? Math.min(Y[k]!, u) : u;
  }
  return [y];
};

/** Y = zeros(output_shape); Y[I[i]] = X[i], I being MaxPool's flat Indices. */
export const MaxUnpool: Op = ([x, ind, shape]) => {
  if (!shape) throw new Error('MaxUnpool: the reference needs the output_shape input');
  const dims = Array.from(shape.data);
  const y = { dims, data: new Float64Array(size(dims)) };
  for (let i = 0; i < x!.data.length; i++) y.data[ind!.data[i]!] = x!.data[i]!;
  return [y];
};
