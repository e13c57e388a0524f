// Folding of ops that move elements without computing: Gather, Concat, Slice, Transpose, Reshape, Squeeze,
// Unsqueeze, Flatten, Expand. Unknown elements (a symbolic dimension in a shape) move with them.
import { broadcastDims, broadcastIndex } from './elementwise.ts';
import { list, norm, pick, size, strides, view, type FoldContext, type Value } from './value.ts';

/** Axes from the input (opset 13 on) or the attribute (before). */
const axesOf = (given: Value | undefined, ctx: FoldContext): number[] | undefined => (given ? list(given) : ctx.attrs.ints('axes'));

export function gather([x, i]: (Value | undefined)[], ctx: FoldContext): Value[] | undefined {
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

export function concat(xs: (Value | undefined)[], ctx: FoldContext): Value[] | undefined {
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

export function slice(inputs: (Value | undefined)[], ctx: FoldContext): Value[] | undefined {
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

export function transpose([x]: (Value | undefined)[], ctx: FoldContext): Value[] | undefined {
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

export function reshape([x, s]: (Value | undefined)[], ctx: FoldContext): Value[] | undefined {
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

export function squeeze([x, a]: (Value | undefined)[], ctx: FoldContext): Value[] | undefined {
  if (!x || (a && !list(a))) return undefined;
  const axes = axesOf(a, ctx)?.map((k) => norm(k, x.dims.length));
  const v = view(x, x.dims.filter((d, k) => (axes ? !axes.includes(k) : d !== 1)));
  return v && [v];
}

export function unsqueeze([x, a]: (Value | undefined)[], ctx: FoldContext): Value[] | undefined {
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


export function expand([x, s]: (Value | undefined)[]): Value[] | undefined {
  const target = list(s);
  if (!x || !target) return undefined;
  const dims = broadcastDims([x.dims, target]);
  return dims ? [pick(x, dims, broadcastIndex(dims, x.dims))] : undefined;
}

export const flatten = ([x]: (Value | undefined)[], ctx: FoldContext): Value[] | undefined => {
  if (!x) return undefined;
  const k = norm(ctx.attrs.int('axis', 1), x.dims.length);
  const v = view(x, [size(x.dims.slice(0, k)), size(x.dims.slice(k))]);
  return v && [v];
};
