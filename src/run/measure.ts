// The numbers the report shows for a model: parameters, MACs, file size, COCO mAP on the val split (when the
// run can measure it: labels and a decodable head), and the median latency at batch 1 on 1 and 2 threads
// (the edge boards lithe aims at have few big cores), measured as `lithe bench` measures it, with the figures
// that say how (runs, p90, CPU time, load; report.ts adds the host).
import { availableParallelism } from 'node:os';
import type { ModelProto } from 'onnx-buf';
import { Graph } from '../onnx/graph.ts';
import { defaultOpset, encodeModel } from '../onnx/io.ts';
import { DEFAULT_OPSET } from '../onnx/make.ts';
import { modelStats } from '../onnx/stats.ts';
import { evaluateModel } from '../metrics/evaluate-model.ts';
import { measureLatency, type Latency } from '../runtime/latency.ts';
import type { CocoSet } from '../data/coco.ts';
import type { Measures } from './types.ts';
import type { Target } from '../targets/load.ts';
import { predictLatency } from '../latency/predict.ts';
import type { Preprocess } from '../data/preprocess.ts';

export const LATENCY_THREADS = [1, 2] as const;

/** `val`: the split mAP is measured on; absent when the run measures no mAP (run/map.ts says why). */
export interface MeasureOptions {
  val?: () => CocoSet; threads: number; what: readonly ('map' | 'latency')[]; preprocess?: Preprocess;
  /** Where a warning goes (a latency measured while other threads of this process were busy). */
  say?: (line: string) => void;
  /** Targets whose latency model predicts the model's latency beside the measured one (report.html compares them). */
  predict?: readonly Target[];
}

/** CPU time per run above this many times threads × wall: something else in the process was running. */
const BUSY = 1.3;

/** What makes a figure doubtful: a busy machine (said once, at 1 thread), or other threads of this process
 *  running while it was measured (a session's spinning pool, a worker). */
export function warnings(r: Latency): string[] {
  const [load, cores] = [Math.max(...r.load), availableParallelism()];
  return [
    ...(r.threads === 1 && load > cores ? [`the machine was busy (load average ${load.toFixed(1)} on ${cores} cores): the wall-clock median includes waiting for a core; the CPU time per run (${r.cpu_ms.toFixed(1)} ms, in the report) is the steadier figure`] : []),
    ...(r.cpu_ms > BUSY * r.threads * r.median_ms ? [`the process used ${r.cpu_ms.toFixed(1)} ms of CPU per ${r.median_ms.toFixed(1)} ms run: other threads of this process were busy, the figure may be high`] : []),
  ];
}

/** Predicted latency by target. The prediction is an extra: a model the latency model cannot read gets none
 *  there, said in the log, and the run goes on. */
function predictions(model: ModelProto, targets: readonly Target[], say?: (line: string) => void): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of targets) {
    try {
      out[t.name] = Number(predictLatency(model, t).ms.toFixed(3));
    } catch (e) {
      say?.(`no latency prediction on ${t.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return out;
}

export async function measureModel(model: ModelProto, opts: MeasureOptions): Promise<Measures> {
  const s = modelStats(Graph.fromModel(model), defaultOpset(model) ?? DEFAULT_OPSET);
  const m: Measures = { params: s.params, macs: s.macs, bytes: encodeModel(model).byteLength };
  if (opts.what.includes('map') && opts.val) {
    const r = await evaluateModel(model, opts.val(), { threads: opts.threads, preprocess: opts.preprocess });
    m.map = r.stats[0];
    m.map50 = r.stats[1];
  }
  if (opts.what.includes('latency')) {
    const predicted = predictions(model, opts.predict ?? [], opts.say);
    if (Object.keys(predicted).length) m.predicted_latency_ms = predicted;
    [m.latency_ms, m.latency_stats] = [{}, {}];
    for (const t of LATENCY_THREADS) {
      const r = await measureLatency(model, { threads: t });
      m.latency_ms[`${t}`] = r.median_ms;
      m.latency_stats[`${t}`] = { p90_ms: r.p90_ms, min_ms: r.min_ms, runs: r.runs, warmup: r.warmup, cpu_ms: r.cpu_ms, load: r.load };
      for (const w of warnings(r)) opts.say?.(`latency at ${t} thread${t > 1 ? 's' : ''}: ${w}`);
    }
  }
  return m;
}
