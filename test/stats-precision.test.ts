// Parameters and MACs are a property of the architecture, not of how its weights are stored: a model counts
// the same in float32, in float16 (pure, or with onnxruntime's float32 ops behind Casts), and as int8 Q/DQ
// (whose BN is folded: equal to the fused float model exactly, to the report's rounding against the unfused
// one); Constant-held weights count; and the report never divides by a count that failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelProto } from 'onnx-buf';
import { Graph } from '../src/onnx/graph.ts';
import { modelStats } from '../src/onnx/stats.ts';
import { zooByName } from '../src/zoo/registry.ts';
import { ORT_CPU_FLOAT32_OPS, toFp16 } from '../src/passes/quantize/fp16.ts';
import { quantizeInt8 } from '../src/passes/quantize/int8.ts';
import { runFuse } from '../src/passes/fuse/run.ts';
import { reportTable, type Report } from '../src/run/report.ts';
import type { RunContext } from '../src/run/types.ts';
import type { PlanStep } from '../src/plan/types.ts';
import { constantsModel } from './support/foreign/constants.ts';

const stats = (m: ModelProto) => { const s = modelStats(Graph.fromModel(m), 13); return { params: s.params, trainable: s.trainable, macs: s.macs, uncounted: s.uncounted }; };
/** As the report shows them: millions and giga with two decimals. */
const shown = (s: { params: number; macs: number }) => [(s.params / 1e6).toFixed(2), (s.macs / 1e9).toFixed(2)];

// the baseline's architecture (YOLOv3-tiny) at a size a test runs quickly
const base = zooByName.get('yolov3-tiny')!.build({ size: 128, classes: 9, seed: 0 });
const calib = [Float32Array.from({ length: 2 * 3 * 128 * 128 }, (_, i) => ((i * 7919) % 255) / 255)];

test('float16, pure or with float32 ops behind Casts, counts the same parameters and MACs as float32', () => {
  const f = stats(base);
  assert.ok(f.macs > 0 && f.params > 0);
  assert.deepEqual(stats(toFp16(base)), f);
  assert.deepEqual(stats(toFp16(base, { float32Ops: ORT_CPU_FLOAT32_OPS })), f);
});

test('int8 Q/DQ counts the fused float model exactly, and the float model to the report\'s rounding', async () => {
  const fused = (await runFuse({ pass: 'fuse', params: {}, index: 1, defaults: {}, range: undefined! } as unknown as PlanStep, {} as RunContext, base)).model;
  for (const runtime of ['onnxruntime', 'tensorrt'] as const) {
    const q = await quantizeInt8(base, calib, { method: 'minmax', runtime, threads: 1 });
    assert.ok(q.model.graph!.node.some((n) => n.opType === 'DequantizeLinear'), runtime);
    const s = stats(q.model);
    assert.deepEqual({ params: s.params, macs: s.macs, uncounted: s.uncounted }, { params: stats(fused).params, macs: stats(base).macs, uncounted: [] }, runtime);
    assert.deepEqual(shown(s), shown(stats(base)), runtime);
  }
});

test('weights held in Constant nodes count without preparation', () => {
  const { model, params } = constantsModel();
  assert.equal(stats(model).params, params);
});

test('the report shows a count that failed as such, not as an infinite gain', () => {
  const m = { params: 1e6, macs: 2e9, bytes: 4e6 };
  const r: Report = { lithe: 'report/1', before: m, steps: [{ index: 1, pass: 'quantize', model: '01-quantize.onnx', seconds: 1, measures: { ...m, macs: 0, bytes: 1e6 } }] };
  const row = reportTable(r).split('\n').at(-1)!;
  assert.match(row, /\| 0\.00 G \(not counted\) \|/);
  assert.match(row, /\| 1\.0 MiB \(4\.00× less\) \|/);
  assert.doesNotMatch(reportTable(r), /Infinity/);
});
