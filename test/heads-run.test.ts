// lithe run over detectors lithe did not build (Ultralytics exports saved as files, no profile, no lithe
// metadata): the head is recognised and recorded on intake, `prune backbone` prunes the inferred backbone,
// fine-tuning trains YOLOv5 through its raw maps, int8 keeps the decoding float, and every step has an mAP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './support/cli.ts';
import { loadModel, saveModel } from '../src/onnx/io.ts';
import { getMetadata } from '../src/onnx/make.ts';
import { Graph } from '../src/onnx/graph.ts';
import { HeadView } from '../src/metrics/decode/detect/view.ts';
import type { Report } from '../src/run/report.ts';
import { ultralyticsV5 } from './support/foreign/heads/ultralytics-v5.ts';
import { ultralyticsV8 } from './support/foreign/heads/ultralytics-v8.ts';

const dir = mkdtempSync(join(tmpdir(), 'lithe-heads-run-'));
process.chdir(dir);

const MODELS = {
  v5: ultralyticsV5({ size: 64, classes: 9, batch: 'dynamic' }),
  v8: ultralyticsV8({ size: 64, classes: 9, batch: 'dynamic' }),
};
for (const [k, m] of Object.entries(MODELS)) saveModel(m, join(dir, `${k}.onnx`));

async function runRecipe(name: keyof typeof MODELS, steps: string): Promise<{ out: string; report: Report; log: string }> {
  const file = join(dir, `${name}.cmp`);
  writeFileSync(file, `model "${join(dir, `${name}.onnx`)}"\ndata synth images 16\ntarget x86\n${steps}\n`);
  const r = await cli('run', file, '--out', join(dir, `run-${name}`), '--threads', '1');
  assert.equal(r.code, 0, r.err);
  return { out: join(dir, `run-${name}`), report: JSON.parse(readFileSync(join(dir, `run-${name}`, 'report.json'), 'utf8')) as Report, log: readFileSync(join(dir, `run-${name}`, 'run.log'), 'utf8') };
}

test('an Ultralytics YOLOv5 export: recognised, backbone pruned and fine-tuned through its raw maps, int8 with the decoding float, mAP at every step', async () => {
  const { out, report, log } = await runRecipe('v5', 'prune backbone l1 0.5 finetune epochs 1\nquantize int8 ptq calib 8\neval');
  assert.match(log, /head: ultralytics v5, 3 scales \(strides 8, 16, 32\), 9 classes, decoding in the graph/);
  assert.equal(typeof report.before.map, 'number');
  for (const s of report.steps) assert.equal(typeof s.measures.map, 'number', s.pass);
  const pruned = loadModel(join(out, '01-prune.onnx'));
  assert.ok(getMetadata(pruned, 'lithe.head'), 'the description travels with the model');
  const before = new HeadView(MODELS.v5);
  const after = new HeadView(pruned);
  const width = (v: HeadView, conv: string) => v.shape(conv)?.[1];
  assert.ok(width(after, '/model.3/conv/Conv_output_0')! < width(before, '/model.3/conv/Conv_output_0')!, 'a backbone layer lost channels');
  assert.equal(width(after, '/model.8/conv/Conv_output_0'), width(before, '/model.8/conv/Conv_output_0'), 'the neck is out of scope');
  const q = Graph.fromModel(loadModel(join(out, '02-quantize.onnx')));
  const pow = q.nodes.filter((n) => n.opType === 'Pow');
  assert.equal(pow.length, 3);
  for (const n of pow) assert.ok(n.input.every((i) => q.producer(i)?.opType !== 'DequantizeLinear'), `'${n.name}' runs in float`);
});

test('an Ultralytics YOLOv8 export: pruned and quantized with its DFL float; fine-tuning it is refused by name', async () => {
  const { out, report } = await runRecipe('v8', 'prune backbone l1 0.5\nquantize int8 ptq calib 8');
  for (const s of report.steps) assert.equal(typeof s.measures.map, 'number', s.pass);
  const q = Graph.fromModel(loadModel(join(out, '02-quantize.onnx')));
  const dfl = q.nodes.find((n) => n.name === '/model.22/dfl/conv/Conv')!;
  assert.ok(dfl.input.every((i) => q.producer(i)?.opType !== 'DequantizeLinear'), 'the DFL conv runs in float, on float weights');
  const file = join(dir, 'v8-tune.cmp');
  writeFileSync(file, `model "${join(dir, 'v8.onnx')}"\ndata synth images 16\nfinetune epochs 1\n`);
  const r = await cli('run', file, '--out', join(dir, 'run-v8-tune'), '--threads', '1');
  assert.equal(r.code, 1);
  assert.match(r.err, /lithe cannot fine-tune this model: its head \(ultralytics v8\) is anchor-free, and lithe's loss is YOLO's/);
});

test('lithe info and lithe explain say what the head is and what each inferred scope holds', async () => {
  const info = await cli('info', join(dir, 'v5.onnx'));
  assert.equal(info.code, 0, info.err);
  assert.match(info.out, /^head {8}ultralytics v5, 3 scales \(strides 8, 16, 32\), 9 classes, decoding in the graph \(37 nodes: '\/model\.24\/Reshape' \.\.\. '\/model\.24\/Concat_3'\) \(recognised in the graph\)$/m);
  assert.match(info.out, /^scopes {6}inferred from the graph \(no stdlib profile; the neck starts at '\/model\.6\/Resize'\)$/m);
  // 18: info counts the model as a run prepares it, the backbone's two Constant nodes turned initializers
  assert.match(info.out, /^backbone +18 +/m);
  const json = JSON.parse((await cli('info', '--json', join(dir, 'v8.onnx'))).out) as { head: { description: { style: string } }; scopes: Record<string, unknown> };
  assert.equal(json.head.description.style, 'ultralytics v8');
  assert.deepEqual(Object.keys(json.scopes), ['backbone', 'neck', 'head']);
  const file = join(dir, 'explain.cmp');
  writeFileSync(file, 'prune backbone l1 0.3\n');
  const ex = await cli('explain', '--model', join(dir, 'v5.onnx'), file);
  assert.equal(ex.code, 0, ex.err);
  assert.match(ex.out, /^ {4}head {6}ultralytics v5, 3 scales/m);
  assert.match(ex.out, /^ {4}backbone {2}6 layers of 18 nodes \(inferred from the graph\)\n {6}'\/model\.0\/conv\/Conv', '\/model\.1\/conv\/Conv'/m);
  assert.match(ex.out, /^ {4}head {6}3 layers of 40 nodes \(inferred from the graph\)\n {6}'\/model\.24\/m\.0\/Conv', '\/model\.24\/m\.1\/Conv', '\/model\.24\/m\.2\/Conv'$/m);
});
