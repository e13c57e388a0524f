// replace through `lithe run`: a yolov3-tiny (its stdlib profile's scopes) gets MBConv+SE in the backbone and
// DSConv in the head, then is pruned and quantized; the report lists the blocks and the layers kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './support/cli.ts';
import { saveModel } from '../src/onnx/io.ts';
import { setMetadata } from '../src/onnx/make.ts';
import { zooByName } from '../src/zoo/registry.ts';
import type { Report } from '../src/run/report.ts';

const dir = mkdtempSync(join(tmpdir(), 'lithe-replace-'));
process.chdir(dir);
const tiny = zooByName.get('yolov3-tiny')!.build({ size: 64, classes: 9, seed: 0 });
setMetadata(tiny, 'lithe.profile', 'yolov3-tiny');
saveModel(tiny, join(dir, 'tiny.onnx'));

test('lithe run: replace (mbconv+SE, dsconv with a kernel per layer), then prune and int8; the report lists blocks and skipped layers', async () => {
  const file = join(dir, 'r.cmp');
  writeFileSync(file, `model "${join(dir, 'tiny.onnx')}"\ndata synth images 16\ntarget x86\n`
    + 'replace backbone conv with mbconv expand 2 se 0.25 kernel 3 fit 30\nreplace head conv with dsconv kernel auto fit 20\nprune backbone l1 0.25\nquantize int8 ptq calib 8\n');
  const out = join(dir, 'run');
  const r = await cli('run', file, '--out', out, '--threads', '1');
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  assert.deepEqual(report.steps.map((s) => s.pass), ['replace', 'replace', 'prune', 'quantize']);
  const [mb, ds, pr, q] = report.steps as (Report['steps'][number] & { details: Record<string, unknown> })[];
  const blocks = mb!.details.blocks as { layer: string; block: string; weights_before: number; weights_after: number }[];
  assert.equal(blocks.length, 7, 'the seven 3x3 convs of the backbone');
  assert.ok(blocks.every((b) => b.block === 'mbconv' && b.weights_after < b.weights_before));
  const fitted = blocks as unknown as { error_start: number; error_fitted: number }[];
  assert.ok(fitted.every((b) => b.error_fitted <= b.error_start && b.error_fitted > 0), JSON.stringify(fitted));
  assert.ok((blocks as unknown as { start: string }[]).every((b) => b.start === 'outputs' || b.start === 'weights'));
  // kernel auto: both sizes fitted per layer, the choice by error x MACs, explained
  const auto = ds!.details.kernel_auto as { layer: string; kernel: number; error_k3: number; error_k5: number; macs_k3: number; macs_k5: number; why: string }[];
  assert.deepEqual(auto.map((c) => c.layer), ['layers.014.conv', 'layers.021.conv']);
  for (const c of auto) {
    // (errors are reported to 4 decimals: a near tie may read either way)
    const [p3, p5] = [c.error_k3 * c.macs_k3, c.error_k5 * c.macs_k5];
    if (Math.abs(p5 - p3) > 1e-3 * p3) assert.equal(c.kernel, p5 < p3 ? 5 : 3);
    assert.match(c.why, c.kernel === 5 ? /: worth it$/ : /: not worth it$/);
    assert.ok(c.macs_k5 > c.macs_k3);
    assert.match(c.why, /5x5 (cuts|raises|changes) the fitted error by [\d.]+% for [\d.]+% more MACs/);
  }
  assert.deepEqual((ds!.details.blocks as { kernel: number }[]).map((b) => b.kernel), auto.map((c) => c.kernel));
  assert.deepEqual((ds!.details.skipped as { layer: string }[]).map((s) => s.layer), ['layers.015.conv', 'layers.022.conv']);
  assert.ok(mb!.measures.params < report.before.params * 0.65, `${report.before.params} → ${mb!.measures.params}`);
  assert.ok(pr!.measures.params < ds!.measures.params);
  assert.ok(q!.measures.bytes < pr!.measures.bytes / 2.5);
  for (const s of report.steps) assert.equal(typeof s.measures.map, 'number');
  assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /replace/);
});
