// Second moments of the input patches each new depthwise filter will see: per layer and input channel, the
// kn² x kn² matrix E[p pᵀ] over the kn x kn windows (the new kernel, the layer's stride and the grown pads) of
// its input on calibration images. With them the factorisation fits the layer's output rather than its
// weights (factor.ts), which matters where the inputs are far from white (images, smooth feature maps).
import * as ort from 'onnxruntime-node';
import type { ModelProto } from 'onnx-buf';
import { Graph } from '../../onnx/graph.ts';
import { createSession, withTaps } from '../../runtime/session.ts';
import type { Layer } from './layers.ts';

/** Windows sampled per channel and image at most (a regular subsample beyond that). */
const MAX_WINDOWS = 4096;

function accumulate(m: Float64Array, x: Float32Array, h: number, w: number, kn: number, stride: number, top: number, left: number): number {
  const kk = kn * kn;
  const [oh, ow] = [Math.floor((h + 2 * top - kn) / stride) + 1, Math.floor((w + 2 * left - kn) / stride) + 1];
  const step = Math.max(1, Math.ceil(Math.sqrt((oh * ow) / MAX_WINDOWS)));
  const p = new Float64Array(kk);
  let count = 0;
  for (let oy = 0; oy < oh; oy += step) {
    for (let ox = 0; ox < ow; ox += step) {
      for (let dy = 0; dy < kn; dy++) {
        for (let dx = 0; dx < kn; dx++) {
          const [y, xx] = [oy * stride - top + dy, ox * stride - left + dx];
          p[dy * kn + dx] = y >= 0 && y < h && xx >= 0 && xx < w ? x[y * w + xx]! : 0;
        }
      }
      for (let a = 0; a < kk; a++) { const pa = p[a]!; if (pa) for (let b = 0; b < kk; b++) m[a * kk + b]! += pa * p[b]!; }
      count++;
    }
  }
  return count;
}

/** Per layer (undefined where it pads by auto_pad), per input channel, the mean of p pᵀ over its kn x kn input windows. */
export async function patchMoments(model: ModelProto, images: readonly Float32Array[], dims: readonly number[], layers: readonly Layer[], kernels: readonly number[], threads: number): Promise<(Float64Array[] | undefined)[]> {
  const g = Graph.fromModel(model);
  const feed = g.inputs.find((i) => !g.initializers.has(i.name))!.name;
  const taps = [...new Set(layers.map((l) => l.input).filter((v) => v !== feed))];
  const session = await createSession(withTaps(model, taps), { threads });
  const out = layers.map((l, i) => (l.autoPad ? undefined : Array.from({ length: l.cin }, () => new Float64Array(kernels[i]! ** 4))));
  const windows = layers.map(() => 0);
  try {
    for (const image of images) {
      const r = await session.run({ [feed]: new ort.Tensor('float32', image, dims) });
      layers.forEach((l, i) => {
        const m = out[i];
        if (!m) return;
        const t = l.input === feed ? new ort.Tensor('float32', image, dims) : r[l.input]!;
        const [h, w] = [Number(t.dims[2]), Number(t.dims[3])];
        const data = t.data as Float32Array;
        const kn = kernels[i]!;
        const grow = (kn - l.k) / 2;
        let n = 0; // windows per channel in this image: the same for every channel
        for (let c = 0; c < l.cin; c++) n = accumulate(m[c]!, data.subarray(c * h * w, (c + 1) * h * w), h, w, kn, l.stride, l.pads[0]! + grow, l.pads[1]! + grow);
        windows[i]! += n;
      });
    }
  } finally {
    await session.release();
  }
  out.forEach((m, i) => m?.forEach((x) => x.forEach((v, k) => { x[k] = v / Math.max(1, windows[i]!); })));
  return out;
}
