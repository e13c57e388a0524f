// Latency of a model in onnxruntime-node: warm-up runs first (allocations, kernel choices), then timed runs
// on the same input; median, p90 and images per second. Inputs are filled with a fixed pattern in their
// declared element type: latency does not depend on the values. Every dimension but a symbolic batch must be
// fixed (lithe's preparation fixes a symbolic image size from `input` or --size).
import * as ort from 'onnxruntime-node';
import type { ModelProto } from 'onnx-buf';
import { createSession, RuntimeError } from './session.ts';
import { declaredType } from '../onnx/shape/infer.ts';
import { Graph } from '../onnx/graph.ts';
import { TensorProto_DataType as DT } from 'onnx-buf';
import { dtypeName } from '../onnx/dtypes.ts';
import { toHalfBits } from '../onnx/half.ts';

export interface LatencyOptions { batch?: number; threads?: number; warmup?: number; runs?: number }
export interface Latency { median_ms: number; p90_ms: number; fps: number; runs: number; batch: number; threads: number }

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

/** A tensor of `n` values in a pattern, by element type (ONNX's numbering). */
const FILL: Partial<Record<number, (n: number) => ort.Tensor['data']>> = {
  [DT.FLOAT]: (n) => Float32Array.from({ length: n }, (_, i) => (i % 255) / 255),
  [DT.DOUBLE]: (n) => Float64Array.from({ length: n }, (_, i) => (i % 255) / 255),
  [DT.FLOAT16]: (n) => Uint16Array.from({ length: n }, (_, i) => toHalfBits((i % 255) / 255)),
  [DT.UINT8]: (n) => Uint8Array.from({ length: n }, (_, i) => i % 255),
  [DT.INT8]: (n) => Int8Array.from({ length: n }, (_, i) => (i % 255) - 127),
  [DT.INT32]: (n) => Int32Array.from({ length: n }, (_, i) => i % 255),
  [DT.INT64]: (n) => BigInt64Array.from({ length: n }, (_, i) => BigInt(i % 255)),
  [DT.BOOL]: (n) => Uint8Array.from({ length: n }, (_, i) => i % 2),
};
const ORT_TYPE: Partial<Record<number, ort.Tensor.Type>> = {
  [DT.FLOAT]: 'float32', [DT.DOUBLE]: 'float64', [DT.FLOAT16]: 'float16', [DT.UINT8]: 'uint8', [DT.INT8]: 'int8',
  [DT.INT32]: 'int32', [DT.INT64]: 'int64', [DT.BOOL]: 'bool',
};

/** An input of each declared shape and type, the symbolic batch set to `batch`. */
export function feeds(model: ModelProto, batch: number): Record<string, ort.Tensor> {
  const g = Graph.fromModel(model);
  const out: Record<string, ort.Tensor> = {};
  for (const input of g.inputs) {
    if (g.initializers.has(input.name)) continue;
    const t = declaredType(input);
    if (!t?.shape) throw new RuntimeError(`input '${input.name}' has no declared shape`);
    const dims = t.shape.map((d, i) => (typeof d === 'number' ? d : i === 0 ? batch : Number.NaN));
    if (dims.some(Number.isNaN)) throw new RuntimeError(`input '${input.name}' has symbolic dimensions other than the batch (${t.shape.join(' x ')}): --size (or the recipe's \`input\`) fixes an image size`);
    if (typeof t.shape[0] === 'number' && t.shape[0] !== batch && t.shape.length === 4) throw new RuntimeError(`input '${input.name}' takes a batch of ${t.shape[0]} (${t.shape.join(' x ')}); --batch ${batch} cannot be fed`);
    const [fill, type] = [FILL[t.elem], ORT_TYPE[t.elem]];
    if (!fill || !type) throw new RuntimeError(`input '${input.name}' is of element type ${dtypeName(t.elem)}, which lithe cannot make a latency input of`);
    out[input.name] = new ort.Tensor(type, fill(dims.reduce((a, b) => a * b, 1)), dims);
  }
  return out;
}

export async function measureLatency(model: ModelProto, opts: LatencyOptions = {}): Promise<Latency> {
  const batch = opts.batch ?? 1;
  const threads = opts.threads ?? 1;
  const session = await createSession(model, { threads });
  try {
    const input = feeds(model, batch);
    for (let i = 0; i < (opts.warmup ?? 5); i++) await session.run(input);
    const times: number[] = [];
    for (let i = 0; i < (opts.runs ?? 30); i++) {
      const t0 = performance.now();
      await session.run(input);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const median = quantile(times, 0.5);
    return { median_ms: median, p90_ms: quantile(times, 0.9), fps: (1000 / median) * batch, runs: times.length, batch, threads };
  } finally {
    await session.release();
  }
}
