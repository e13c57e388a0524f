// Latency of a model in onnxruntime-node: warm-up runs first (allocations, kernel choices), then timed runs
// on the same input; median, p90 and images per second. Inputs are filled with a fixed pattern: latency does
// not depend on the values.
import * as ort from 'onnxruntime-node';
import type { ModelProto } from 'onnx-buf';
import { createSession, RuntimeError } from './session.ts';
import { declaredType } from '../onnx/shape/infer.ts';
import { Graph } from '../onnx/graph.ts';

export interface LatencyOptions { batch?: number; threads?: number; warmup?: number; runs?: number }
export interface Latency { median_ms: number; p90_ms: number; fps: number; runs: number; batch: number; threads: number }

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

/** A float input of the declared shape, with the batch (and nothing else) left symbolic. */
function feeds(model: ModelProto, batch: number): Record<string, ort.Tensor> {
  const g = Graph.fromModel(model);
  const out: Record<string, ort.Tensor> = {};
  for (const input of g.inputs) {
    if (g.initializers.has(input.name)) continue;
    const t = declaredType(input);
    if (!t?.shape) throw new RuntimeError(`input '${input.name}' has no declared shape`);
    const dims = t.shape.map((d, i) => (typeof d === 'number' ? d : i === 0 ? batch : Number.NaN));
    if (dims.some(Number.isNaN)) throw new RuntimeError(`input '${input.name}' has symbolic dimensions other than the batch: ${t.shape.join('x')}`);
    const n = dims.reduce((a, b) => a * b, 1);
    out[input.name] = new ort.Tensor('float32', new Float32Array(n).map((_, i) => (i % 255) / 255), dims);
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
