// The numbers the report shows for a model: parameters, MACs, file size, COCO mAP on the val split (when the
// run can measure it: labels and a decodable head), and the median latency at batch 1 on 1 and 2 threads
// (the edge boards lithe aims at have few big cores).
import type { ModelProto } from 'onnx-buf';
import { Graph } from '../onnx/graph.ts';
import { defaultOpset, encodeModel } from '../onnx/io.ts';
import { DEFAULT_OPSET } from '../onnx/make.ts';
import { modelStats } from '../onnx/stats.ts';
import { evaluateModel } from '../metrics/evaluate-model.ts';
import { measureLatency } from '../runtime/latency.ts';
import type { CocoSet } from '../data/coco.ts';
import type { Measures } from './types.ts';
import type { Preprocess } from '../data/preprocess.ts';

export const LATENCY_THREADS = [1, 2] as const;

/** `val`: the split mAP is measured on; absent when the run measures no mAP (run/map.ts says why). */
export interface MeasureOptions { val?: () => CocoSet; threads: number; what: readonly ('map' | 'latency')[]; preprocess?: Preprocess }

export async function measureModel(model: ModelProto, opts: MeasureOptions): Promise<Measures> {
  const s = modelStats(Graph.fromModel(model), defaultOpset(model) ?? DEFAULT_OPSET);
  const m: Measures = { params: s.params, macs: s.macs, bytes: encodeModel(model).byteLength };
  if (opts.what.includes('map') && opts.val) {
    const r = await evaluateModel(model, opts.val(), { threads: opts.threads, preprocess: opts.preprocess });
    m.map = r.stats[0];
    m.map50 = r.stats[1];
  }
  if (opts.what.includes('latency')) {
    m.latency_ms = {};
    for (const t of LATENCY_THREADS) m.latency_ms[`${t}`] = (await measureLatency(model, { threads: t, runs: 30 })).median_ms;
  }
  return m;
}
