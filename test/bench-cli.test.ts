// lithe bench: latency after warm-up, with median_ms, p90_ms and fps in --json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.ts';
import { saveModel } from '../src/onnx/io.ts';
import { zooByName } from '../src/zoo/registry.ts';
import { DataType, graph, model, node, valueInfo } from '../src/onnx/make.ts';

test('lithe bench --json gives median_ms, p90_ms and fps; a model with an unsized input is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-bench-'));
  const path = join(dir, 'tiny.onnx');
  saveModel(zooByName.get('yolov3-tiny')!.build({ size: 128 }), path);
  let out = '';
  let err = '';
  const io = { out: (t: string) => { out += t; }, err: (t: string) => { err += t; } };
  assert.equal(await main(['bench', path, '--runs', '3', '--batch', '2', '--json'], io), 0);
  const r = JSON.parse(out) as { median_ms: number; p90_ms: number; fps: number; batch: number };
  assert.ok(r.median_ms > 0 && r.p90_ms >= r.median_ms);
  assert.ok(Math.abs(r.fps - (1000 / r.median_ms) * 2) < 1e-9);
  const odd = join(dir, 'odd.onnx');
  saveModel(model(graph('odd', [node('Relu', ['x'], ['y'])], [valueInfo('x', DataType.FLOAT, ['N', 'H'])], [valueInfo('y', DataType.FLOAT, ['N', 'H'])])), odd);
  assert.equal(await main(['bench', odd], io), 1);
  assert.match(err, /symbolic dimensions other than the batch/);
});
