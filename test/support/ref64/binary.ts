// Elementwise ops of two or three inputs with numpy broadcasting; comparisons give 0/1.
import { broadcastIndex, broadcastShape, size, type Op, type T64 } from './tensor.ts';

/** The output of a broadcast op and, per output element, the index into each input. */
function prep(...xs: T64[]): { y: T64; a: Float64Array; b: Float64Array; ia: Int32Array; ib: Int32Array } {
  const dims = broadcastShape(...xs.map((x) => x.dims));
  const y = { dims, data: new Float64Array(size(dims)) };
  return { y, a: xs[0]!.data, b: xs[1]!.data, ia: broadcastIndex(dims, xs[0]!.dims), ib: broadcastIndex(dims, xs[1]!.dims) };
}

/** Variadic Max/Min/Sum fold pairwise. */
const fold = (op: Op): Op => (xs, at, n) => {
  let acc = xs[0]!;
  for (const x of xs.slice(1)) acc = op([acc, x], at, n)[0]!;
  return [{ dims: [...acc.dims], data: xs.length === 1 ? acc.data.slice() : acc.data }];
};

export const binary: Record<string, Op> = {
  Add: ([x, z]) => { const { y, a, b, ia, ib } = prep(x!, z!), o = y.data; for (let i = 0; i < o.length; i++) o[i] = a[ia[i]!]! + b[ib[i]!]!; return [y]; },
  And: ([x, z]) => { const { y, a, b, ia, ib } = prep(x!, z!), o = y.data; for (let i = 0; i < o.length; i++) o[i] = a[ia[i]!] && b[ib[i]!] ? 1 : 0; return [y]; },
  Div: ([x, z]) => { const { y, a, b, ia, ib } = prep(x!, z!), o = y.data; for (let i = 0; i < o.length; i++) o[i] = a[ia[i]!]! / b[ib[i]!]!; return [y]; },
  Equal: ([x, z]) => { const { y, a, b, ia, ib } = prep(x!, z!), o = y.data; for (let i = 0; i < o.length; i++) o[i] = a[ia[i]!] === b[ib[i]!] ? 1 : 0; return [y]; },
  Greater: ([x, z]) => { const { y, a, b, ia, ib } = prep(x!, z!), o = y.data; for (let i = 0; i < o.length; i++) o[i] = a[ia[i]!]! > b[ib[i]!]! ? 1 : 0; return [y]; },
  GreaterOrEqual: ([x, z]) => { const { y, a, b, ia, ib } = prep(x!, z!), o = y.data; for (let i = 0; i < o.length; i++) o[i] = a[ia[i]!]! >= b[ib[i]!]! ? 1 : 0; return [y]; },
  Less: ([x, z]) => { const { y, a, b, ia, ib } = prep(x!, z!), o = y.data; for (let i = 0; i < o.length; i++) o[i] = a[ia[i]!]! < b[ib[i]!]! ? 1 : 0; return [y]; },
  LessOrEqual: ([x, z]) => { const { y, a, b, ia, ib } = prep(x!, z!), o = y.data; for (let i = 0; i < o.length; i++) o[i] = a[ia[i]!]! <= b[ib[i]!]! ? 1 : 0; return [y]; },
  Max: fold(([x, z]) => { const { y, a, b, ia, ib } = prep(x!, z!), o = y.data; for (let i = 0; i < o.length; i++) o[i] = Math.max(a[ia[i]!]!, b[ib[i]!]!); return [y]; }),
  Min: fold(([x, z]) => { const { y, a, b, ia, ib } = prep(x!, z!), o = y.data; for (let i = 0; i < o.length; i++) o[i] = Math.min(a[ia[i]!]!, b[ib[i]!]!); return [y]; }),
  Mul: ([x, z]) => { const { y, a, b, ia, ib } = prep(x!, z!), o = y.data; for (let i = 0; i < o.length; i++) o[i] = a[ia[i]!]! * b[ib[i]!]!; return [y]; },
  Sub: ([x, z]) => { const { y, a, b, ia, ib } = prep(x!, z!), o = y.data; for (let i = 0; i < o.length; i++) o[i] = a[ia[i]!]! - b[ib[i]!]!; return [y]; },
  Sum: fold(([x, z]) => { const { y, a, b, ia, ib } = prep(x!, z!), o = y.data; for (let i = 0; i < o.length; i++) o[i] = a[ia[i]!]! + b[ib[i]!]!; return [y]; }),
  Where: ([c, x, z]) => {
    const dims = broadcastShape(c!.dims, x!.dims, z!.dims), y = { dims, data: new Float64Array(size(dims)) }, o = y.data;
    const ic = broadcastIndex(dims, c!.dims), ia = broadcastIndex(dims, x!.dims), ib = broadcastIndex(dims, z!.dims);
    const cd = c!.data, a = x!.data, b = z!.data;
    for (let i = 0; i < o.length; i++) o[i] = cd[ic[i]!] ? a[ia[i]!]! : b[ib[i]!]!;
    return [y];
  },
};
