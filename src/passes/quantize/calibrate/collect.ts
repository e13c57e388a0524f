// Calibration statistics: the model runs on each calibration batch and the tensors to quantize are read
// through taps into streaming |x| histograms, so no activation outlives its batch. One session holds every
// tap as an output; each run fetches only a chunk of them (consecutive in topological order, at most
// `budgetBytes` of activations for the batch), and onnxruntime executes only the nodes the fetched outputs
// need, so a 62 M-parameter yolov3 at 416 never holds all its feature maps in JavaScript at once.
import * as ort from 'onnxruntime-node';
import type { ModelProto } from 'onnx-buf';
import { Graph } from '../../../onnx/graph.ts';
import { defaultOpset, MIN_OPSET } from '../../../onnx/io.ts';
import { declaredType, inferShapes } from '../../../onnx/shape/infer.ts';
import { createSession, tapChunks, withTaps } from '../../../runtime/session.ts';
import { QuantizeError } from '../errors.ts';
import { AbsHistogram } from './histogram.ts';

export type CalibrationBatches = AsyncIterable<Float32Array> | Iterable<Float32Array>;

export interface CollectOptions {
  threads?: number;
  /** Activation bytes fetched per run; 256 MiB unless told. */
  budgetBytes?: number;
}

export interface Collected {
  histograms: Map<string, AbsHistogram>;
  images: number;
  batches: number;
}

const DEFAULT_BUDGET = 256 * 2 ** 20;

/** The one float image input: its name and the dims of one image (C, H, W). */
function imageInput(g: Graph): { name: string; dims: number[] } {
  const inputs = g.inputs.filter((i) => !g.initializers.has(i.name));
  const t = inputs.length === 1 ? declaredType(inputs[0]!) : undefined;
  const dims = t?.shape?.slice(1);
  if (!t || !dims || dims.some((d) => typeof d !== 'number')) {
    throw new QuantizeError(`calibration needs one input of fixed shape [N, C, H, W]; the model has ${inputs.map((i) => `'${i.name}'`).join(', ') || 'none'}`);
  }
  return { name: inputs[0]!.name, dims: dims as number[] };
}

function add(h: AbsHistogram, values: Float32Array, tensor: string): void {
  try {
    h.add(values);
  } catch (e) {
    throw new QuantizeError(`calibration: '${tensor}' has ${(e as Error).message}`);
  }
}

export async function collectHistograms(model: ModelProto, tensors: readonly string[], batches: CalibrationBatches, opts: CollectOptions = {}): Promise<Collected> {
  const g = Graph.fromModel(model);
  const input = imageInput(g);
  const perImage = input.dims.reduce((a, b) => a * b, 1);
  const { types } = inferShapes(g, defaultOpset(model) ?? MIN_OPSET);
  // Unknown shapes count as 16 input images' worth: generous, so a chunk errs on the small side.
  const bytesPerImage = (v: string) => 4 * (types.get(v)?.shape?.slice(1).reduce<number>((a, d) => a * (typeof d === 'number' ? d : 16 * perImage), 1) ?? 16 * perImage);
  const taps = tensors.filter((t) => t !== input.name);
  const histograms = new Map(tensors.map((t) => [t, new AbsHistogram()]));
  const session = await createSession(withTaps(model, taps), { threads: opts.threads });
  let images = 0;
  let count = 0;
  try {
    for await (const batch of batches) {
      if (!batch.length || batch.length % perImage) throw new QuantizeError(`calibration batch ${count} has ${batch.length} values, not a multiple of one image (${input.dims.join('x')} = ${perImage})`);
      const n = batch.length / perImage;
      const feeds = { [input.name]: new ort.Tensor('float32', batch, [n, ...input.dims]) };
      const h = histograms.get(input.name);
      if (h) add(h, batch, input.name);
      for (const fetch of tapChunks(taps, (t) => bytesPerImage(t) * n, opts.budgetBytes ?? DEFAULT_BUDGET)) {
        const out = await session.run(feeds, fetch);
        for (const t of fetch) add(histograms.get(t)!, out[t]!.data as Float32Array, t);
      }
      images += n;
      count++;
    }
  } finally {
    await session.release();
  }
  if (!count) throw new QuantizeError('calibration needs at least one batch of images');
  return { histograms, images, batches: count };
}
