// Elementwise ops of one input, written as plain loops.
import type { Op, T64 } from './tensor.ts';

const like = (x: T64): T64 => ({ dims: [...x.dims], data: new Float64Array(x.data.length) });

/** Round half to even. */
function roundEven(v: number): number {
  const f = Math.floor(v), d = v - f;
  return d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
}

export const unary: Record<string, Op> = {
  Abs: ([x]) => { const y = like(x!), a = x!.data, b = y.data; for (let i = 0; i < b.length; i++) b[i] = Math.abs(a[i]!); return [y]; },
  Atan: ([x]) => { const y = like(x!), a = x!.data, b = y.data; for (let i = 0; i < b.length; i++) b[i] = Math.atan(a[i]!); return [y]; },
  Cast: ([x], at) => {
    const to = at.int('to', 1), y = like(x!), a = x!.data, b = y.data;
    // FLOAT, DOUBLE, FLOAT16, BFLOAT16 keep the value; BOOL is x != 0; the integer types truncate.
    const float = to === 1 || to === 11 || to === 10 || to === 16;
    for (let i = 0; i < b.length; i++) b[i] = float ? a[i]! : to === 9 ? (a[i] !== 0 ? 1 : 0) : Math.trunc(a[i]!);
    return [y];
  },
  Clip: ([x, lo, hi], at) => {
    const min = lo ? lo.data[0]! : at.float('min', -Infinity), max = hi ? hi.data[0]! : at.float('max', Infinity);
    const y = like(x!), a = x!.data, b = y.data;
    for (let i = 0; i < b.length; i++) b[i] = Math.min(Math.max(a[i]!, min), max);
    return [y];
  },
  Exp: ([x]) => { const y = like(x!), a = x!.data, b = y.data; for (let i = 0; i < b.length; i++) b[i] = Math.exp(a[i]!); return [y]; },
  HardSigmoid: ([x], at) => {
    const al = at.float('alpha', 0.2), be = at.float('beta', 0.5), y = like(x!), a = x!.data, b = y.data;
    for (let i = 0; i < b.length; i++) b[i] = Math.max(0, Math.min(1, al * a[i]! + be));
    return [y];
  },
  HardSwish: ([x]) => {
    const y = like(x!), a = x!.data, b = y.data;
    for (let i = 0; i < b.length; i++) b[i] = a[i]! * Math.max(0, Math.min(1, a[i]! / 6 + 0.5));
    return [y];
  },
  Identity: ([x]) => [{ dims: [...x!.dims], data: x!.data.slice() }],
  LeakyRelu: ([x], at) => {
    const al = at.float('alpha', 0.01), y = like(x!), a = x!.data, b = y.data;
    for (let i = 0; i < b.length; i++) b[i] = a[i]! >= 0 ? a[i]! : al * a[i]!;
    return [y];
  },
  Log: ([x]) => { const y = like(x!), a = x!.data, b = y.data; for (let i = 0; i < b.length; i++) b[i] = Math.log(a[i]!); return [y]; },
  Neg: ([x]) => { const y = like(x!), a = x!.data, b = y.data; for (let i = 0; i < b.length; i++) b[i] = -a[i]!; return [y]; },
  Relu: ([x]) => { const y = like(x!), a = x!.data, b = y.data; for (let i = 0; i < b.length; i++) b[i] = a[i]! > 0 ? a[i]! : 0; return [y]; },
  Round: ([x]) => { const y = like(x!), a = x!.data, b = y.data; for (let i = 0; i < b.length; i++) b[i] = roundEven(a[i]!); return [y]; },
  Sigmoid: ([x]) => {
    const y = like(x!), a = x!.data, b = y.data;
    for (let i = 0; i < b.length; i++) { const v = a[i]!; b[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)); }
    return [y];
  },
  Sign: ([x]) => { const y = like(x!), a = x!.data, b = y.data; for (let i = 0; i < b.length; i++) b[i] = Math.sign(a[i]!); return [y]; },
  Softplus: ([x]) => {
    const y = like(x!), a = x!.data, b = y.data;
    for (let i = 0; i < b.length; i++) { const v = a[i]!; b[i] = Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))); }
    return [y];
  },
  Sqrt: ([x]) => { const y = like(x!), a = x!.data, b = y.data; for (let i = 0; i < b.length; i++) b[i] = Math.sqrt(a[i]!); return [y]; },
  Tanh: ([x]) => { const y = like(x!), a = x!.data, b = y.data; for (let i = 0; i < b.length; i++) b[i] = Math.tanh(a[i]!); return [y]; },
};

