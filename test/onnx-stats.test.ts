// Statistics against published figures: yolov3-tiny at 416x416 (shared/notes/facts.md) has 8,852,366
// trainable parameters (8,858,734 with BN running statistics) and 2.782 G convolution multiply-adds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../src/onnx/graph.ts';
import { modelStats } from '../src/onnx/stats.ts';
import { verify } from '../src/onnx/verify.ts';
import { DataType, graph, model, node, tensor, valueInfo } from '../src/onnx/make.ts';
import { readFileSync } from 'node:fs';
import { parseCfg } from '../src/darknet/cfg.ts';
import { importDarknet } from '../src/darknet/import.ts';

/** yolov3-tiny at `size`, imported from zoo/yolov3-tiny.cfg. */
function yolov3Tiny(size = 416) {
  return importDarknet(parseCfg(readFileSync('zoo/yolov3-tiny.cfg', 'utf8'), 'zoo/yolov3-tiny.cfg'), 'zoo/yolov3-tiny.cfg', { size });
}

test('yolov3-tiny at 416: exactly the published parameter counts and darknet BFLOPs', () => {
  const g = Graph.fromModel(yolov3Tiny());
  assert.deepEqual(verify(g, { opset: 13 }), []);
  const s = modelStats(g, 13);
  assert.equal(s.trainable, 8_852_366);
  assert.equal(s.params, 8_858_734);
  assert.equal((s.macs / 1e9).toFixed(3), '2.782');
  assert.equal(s.flops, 2 * s.macs);
  assert.equal(s.weightBytes, (s.params + 4) * 4); // + the upsample's Resize scales, stored but not a parameter
});

test('per-node figures add up, and an initializer shared by two nodes counts once', () => {
  const w = tensor('w', [4, 3, 1, 1], new Float32Array(12));
  const g = graph('shared', [node('Conv', ['x', 'w'], ['a'], {}, 'c1'), node('Conv', ['x', 'w'], ['b'], {}, 'c2')],
    [valueInfo('x', DataType.FLOAT, [1, 3, 5, 5])], [valueInfo('a', DataType.FLOAT, [1, 4, 5, 5]), valueInfo('b', DataType.FLOAT, [1, 4, 5, 5])], [w]);
  const s = modelStats(Graph.fromModel(model(g)), 13);
  assert.deepEqual(s.nodes.map((n) => [n.name, n.params, n.macs, n.activationBytes]), [['c1', 12, 300, 400], ['c2', 0, 300, 400]]);
  assert.equal(s.params, 12);
  assert.equal(s.macs, 600);
});

test('lithe info prints the table, --json gives params/macs/flops at the top level, a broken file exits 2', async () => {
  const { main } = await import('../src/cli/main.ts');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { saveModel } = await import('../src/onnx/io.ts');
  const dir = mkdtempSync(join(tmpdir(), 'lithe-info-'));
  const path = join(dir, 'tiny.onnx');
  saveModel(yolov3Tiny(416), path);
  let out = '';
  let err = '';
  const io = { out: (t: string) => { out += t; }, err: (t: string) => { err += t; } };
  assert.equal(await main(['info', '--json', path], io), 0);
  const j = JSON.parse(out) as { params: number; macs: number; flops: number; trainable: number };
  assert.deepEqual([j.params, j.trainable, j.flops], [8_858_734, 8_852_366, 2 * j.macs]);
  out = '';
  assert.equal(await main(['info', path], io), 0);
  assert.match(out, /params +8,858,734 \(trainable 8,852,366\)/);
  assert.match(out, /MACs +2\.782 G/);
  writeFileSync(join(dir, 'junk.onnx'), 'not a model');
  assert.equal(await main(['info', join(dir, 'junk.onnx')], io), 2);
  assert.match(err, /junk\.onnx: not an ONNX model/);
  assert.doesNotMatch(err, /\n\s+at /);
});
