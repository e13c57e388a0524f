// lithe bench: latency after warm-up, with median_ms, p90_ms and fps in --json, and how it was measured (runs,
// fastest, CPU time, load, host); measureLatency's protocol: at least `runs` runs spanning `seconds`, capped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.ts';
import { saveModel } from '../src/onnx/io.ts';
import { zooByName } from '../src/zoo/registry.ts';
import { DataType, graph, model, node, valueInfo } from '../src/onnx/make.ts';
import { measureLatency } from '../src/runtime/latency.ts';
import { warnings } from '../src/run/measure.ts';

test('lithe bench --json gives median_ms, p90_ms and fps; a model with an unsized input is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-bench-'));
  const path = join(dir, 'tiny.onnx');
  saveModel(zooByName.get('yolov3-tiny')!.build({ size: 128 }), path);
  let out = '';
  let err = '';
  const io = { out: (t: string) => { out += t; }, err: (t: string) => { err += t; } };
  assert.equal(await main(['bench', path, '--runs', '3', '--batch', '2', '--json'], io), 0);
  const r = JSON.parse(out) as { median_ms: number; p90_ms: number; min_ms: number; fps: number; batch: number; runs: number; warmup: number; cpu_ms: number; load: number[]; host: { cpu: string; cores: number } };
  assert.ok(r.median_ms > 0 && r.p90_ms >= r.median_ms && r.min_ms <= r.median_ms);
  assert.ok(r.runs >= 3 && r.warmup >= 5 && r.cpu_ms > 0 && r.load.length === 2, JSON.stringify(r));
  assert.ok(r.host.cpu.length > 0 && r.host.cores > 0);
  assert.ok(Math.abs(r.fps - (1000 / r.median_ms) * 2) < 1e-9);
  const odd = join(dir, 'odd.onnx');
  saveModel(model(graph('odd', [node('Relu', ['x'], ['y'])], [valueInfo('x', DataType.FLOAT, ['N', 'H'])], [valueInfo('y', DataType.FLOAT, ['N', 'H'])])), odd);
  assert.equal(await main(['bench', odd], io), 1);
  assert.match(err, /symbolic dimensions other than the batch/);
});

test('measureLatency: at least `runs` timed runs, more until they span `seconds`, never more than 10 × runs', async () => {
  const relu = model(graph('relu', [node('Relu', ['x'], ['y'])], [valueInfo('x', DataType.FLOAT, [1, 8])], [valueInfo('y', DataType.FLOAT, [1, 8])]));
  assert.equal((await measureLatency(relu, { runs: 4, seconds: 0 })).runs, 4);
  assert.equal((await measureLatency(relu, { runs: 3, seconds: 60 })).runs, 30);
  // a run of about a millisecond: 20 runs are not 0.1 s, so it goes on until they are (or 200 runs)
  const big = model(graph('big', [node('Relu', ['x'], ['y'])], [valueInfo('x', DataType.FLOAT, [1, 2 ** 20])], [valueInfo('y', DataType.FLOAT, [1, 2 ** 20])]));
  const t0 = performance.now();
  const r = await measureLatency(big, { runs: 20, seconds: 0.1, warmup: 1, warmupSeconds: 0 });
  assert.ok(r.runs >= 20 && (performance.now() - t0 >= 100 || r.runs === 200) && r.warmup === 1, JSON.stringify(r));
});

test('a run says when a latency is doubtful: a busy machine, or other threads of its process running', () => {
  const r = { median_ms: 20, p90_ms: 22, min_ms: 19, fps: 50, runs: 60, warmup: 8, batch: 1, threads: 1, cpu_ms: 19.5, load: [0.1, 0.2] as [number, number] };
  assert.deepEqual(warnings(r), []);
  assert.match(warnings({ ...r, load: [900, 1000] }).join(), /the machine was busy \(load average 1000\.0 on \d+ cores\).*CPU time per run \(19\.5 ms/);
  assert.match(warnings({ ...r, cpu_ms: 31 }).join(), /31\.0 ms of CPU per 20\.0 ms run: other threads of this process were busy/);
  assert.deepEqual(warnings({ ...r, threads: 2, cpu_ms: 39 }), [], 'two threads may use twice the CPU');
});
