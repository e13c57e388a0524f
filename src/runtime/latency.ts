// Latency of a model in onnxruntime-node, measured the same way by `lithe bench` and by a run's report: a full
// garbage collection first (so none falls in the timed runs), warm-up runs (allocations, kernel choices), then
// timed runs on the same input until there are at least `runs` of them and they span at least `seconds`
// (30 runs of a 30 ms model span one second, which one burst of other work on a shared machine can shift);
// median, p90, fastest, the process's CPU time per run and the load average, so a reader can judge the figure.
// Inputs are filled with a fixed pattern in their declared element type: latency does not depend on the
// values. Every dimension but a symbolic batch must be fixed (preparation fixes a symbolic image size).
import * as ort from 'onnxruntime-node';
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ModelProto } from 'onnx-buf';
import { createSession, RuntimeError } from './session.ts';
import { declaredType } from '../onnx/shape/infer.ts';
import { Graph } from '../onnx/graph.ts';
import { TensorProto_DataType as DT } from 'onnx-buf';
import { dtypeName } from '../onnx/dtypes.ts';
import { toHalfBits } from '../onnx/half.ts';
import { LATENCY_DEFAULTS } from './protocol.ts';

export interface LatencyOptions {
  batch?: number; threads?: number;
  /** Warm-up runs (at least; 5), continued until they span `warmupSeconds` (0.25). */
  warmup?: number; warmupSeconds?: number;
  /** Timed runs (at least; 30), continued until they span `seconds` (2), but never more than 10 × `runs`. */
  runs?: number; seconds?: number;
}
export interface Latency {
  median_ms: number; p90_ms: number; min_ms: number; fps: number; runs: number; warmup: number; batch: number; threads: number;
  /** Median CPU time of a run, all of the process's threads: above threads × wall, other threads of this
   *  process (another session's spinning pool, a worker) were busy while it was measured. */
  cpu_ms: number;
  /** The host's 1-minute load average before and after (other processes competing for the cores). */
  load: [number, number];
}

/** The same defaults for `lithe bench` and a run's measures. */
export { LATENCY_DEFAULTS };

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

/** A full collection now, when V8 lets us ask for one, so that garbage of earlier work is not collected
 *  during the timed runs. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as (() => void) | undefined)?.();
}

export async function measureLatency(model: ModelProto, opts: LatencyOptions = {}): Promise<Latency> {
  const o = { ...LATENCY_DEFAULTS, batch: 1, threads: 1, ...opts };
  const session = await createSession(model, { threads: o.threads });
  try {
    const input = feeds(model, o.batch);
    collectGarbage();
    const load0 = loadavg()[0]!;
    let warmup = 0;
    for (const t0 = performance.now(); warmup < o.warmup || (performance.now() - t0 < 1000 * o.warmupSeconds && warmup < 10 * o.warmup); warmup++) await session.run(input);
    const [times, cpu] = [[] as number[], [] as number[]];
    for (const start = performance.now(); times.length < o.runs || (performance.now() - start < 1000 * o.seconds && times.length < 10 * o.runs);) {
      const [t0, c0] = [performance.now(), process.cpuUsage()];
      await session.run(input);
      const c = process.cpuUsage(c0);
      times.push(performance.now() - t0);
      cpu.push((c.user + c.system) / 1000);
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    const median = quantile(times, 0.5);
    return {
      median_ms: median, p90_ms: quantile(times, 0.9), min_ms: times[0]!, fps: (1000 / median) * o.batch, runs: times.length, warmup,
      batch: o.batch, threads: o.threads, cpu_ms: quantile(cpu, 0.5), load: [load0, loadavg()[0]!],
    };
  } finally {
    await session.release();
  }
}
