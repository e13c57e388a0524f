// Ops that move elements: Transpose, Concat, Split, Slice, Pad.
import { axis, list, size, strides, type Op, type T64 } from './tensor.ts';

/** The tensor of shape `dims` whose element at coordinates c is x.data[offset + sum c[a] * step[a]]. */
function strided(x: T64, dims: number[], offset: number, step: number[]): T64 {
  const n = size(dims), y = new Float64Array(n), X = x.data, r = dims.length, ctr = new Array<number>(r).fill(0);
  for (let i = 0, j = offset; i < n; i++) {
    y[i] = X[j]!;
    for (let a = r - 1; a >= 0; a--) {
      j += step[a]!;
      if (++ctr[a]! < dims[a]!) break;
      j -= step[a]! * dims[a]!; ctr[a] = 0;
    }
  }
  return { dims, data: y };
}

export const layout: Record<string, Op> = {
  Concat: (xs, at) => {
    const parts = xs.filter((x): x is T64 => !!x && x.data.length > 0), r = xs[0]!.dims.length, a = axis(at.int('axis', 0), r);
    const dims = [...xs[0]!.dims];
    dims[a] = xs.reduce((s, x) => s + x!.dims[a]!, 0);
    // each outer index copies one block of every input in turn
    const outer = size(dims.slice(0, a)), y = new Float64Array(size(dims));
    for (let o = 0, to = 0; o < outer; o++) {
      for (const x of parts) { const blk = x.data.length / outer; y.set(x.data.subarray(o * blk, (o + 1) * blk), to); to += blk; }
    }
    return [{ dims, data: y }];
  },
  Pad: ([x, p, cv, ax], at) => {
    const r = x!.dims.length, mode = at.string('mode', 'constant'), pads = list(p) ?? at.ints('pads') ?? [];
    const axes = (list(ax) ?? x!.dims.map((_, i) => i)).map((v) => axis(v, r)), k = axes.length;
    const lo = new Array<number>(r).fill(0), hi = new Array<number>(r).fill(0);
    axes.forEach((a, i) => { lo[a] = pads[i]!; hi[a] = pads[i + k]!; });
    const value = cv?.data[0] ?? at.float('value', 0), d = x!.dims, st = strides(d);
    const dims = d.map((n, a) => n + lo[a]! + hi[a]!), n = size(dims), y = new Float64Array(n), ctr = new Array<number>(r).fill(0);
    for (let i = 0; i < n; i++) {
      let j = 0;
      for (let a = 0; a < r && j >= 0; a++) {
        let c = ctr[a]! - lo[a]!;
        if (c < 0 || c >= d[a]!) {
          if (mode === 'edge') c = Math.min(Math.max(c, 0), d[a]! - 1);
          else if (mode === 'reflect') { const per = 2 * (d[a]! - 1); c = ((c % per) + per) % per; if (c >= d[a]!) c = per - c; }
          else { j = -1; break; }
        }
        j += c * st[a]!;
      }
      y[i] = j < 0 ? value : x!.data[j]!;
      for (let a = r - 1; a >= 0; a--) { if (++ctr[a]! < dims[a]!) break; ctr[a] = 0; }
    }
    return [{ dims, data: y }];
  },
  Slice: ([x, s, e, ax, sp], at) => {
    const d = x!.dims, r = d.length, st = strides(d);
    const starts = list(s) ?? at.ints('starts')!, ends = list(e) ?? at.ints('ends')!;
    const axes = (list(ax) ?? at.ints('axes') ?? starts.map((_, i) => i)).map((v) => axis(v, r)), steps = list(sp) ?? starts.map(() => 1);
    const dims = [...d], step = [...st];
    let offset = 0;
    axes.forEach((a, i) => {
      const n = d[a]!, k = steps[i]!;
      let b = starts[i]!, f = ends[i]!;
      if (b < 0) b += n;
      if (f < 0) f += n;
      [b, f] = k > 0 ? [Math.min(Math.max(b, 0), n), Math.min(Math.max(f, 0), n)] : [Math.min(Math.max(b, 0), n - 1), Math.min(Math.max(f, -1), n - 1)];
      dims[a] = Math.max(0, Math.ceil((f - b) / k));
      offset += b * st[a]!; step[a] = st[a]! * k;
    });
    return [strided(x!, dims, offset, step)];
  },
  Split: ([x, s], at, node) => {
    const d = x!.dims, a = axis(at.int('axis', 0), d.length), n = node.output.length, st = strides(d);
    const chunk = Math.ceil(d[a]! / n), sizes = list(s) ?? at.ints('split') ?? Array.from({ length: n }, (_, i) => Math.min(chunk, d[a]! - i * chunk));
    let from = 0;
    return sizes.map((len) => {
      const dims = [...d];
      dims[a] = len;
      const y = strided(x!, dims, from * st[a]!, st);
      from += len;
      return y;
    });
  },
  Transpose: ([x], at) => {
    const d = x!.dims, st = strides(d), perm = at.ints('perm') ?? d.map((_, i) => d.length - 1 - i);
    return [strided(x!, perm.map((p) => d[p]!), 0, perm.map((p) => st[p]!))];
  },
};
