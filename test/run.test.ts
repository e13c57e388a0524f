// lithe run end to end on a small zoo detector and a small synthetic set: the run folder, the report, the
// models after each step, resume after a stop, and the refusals that come before anything runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { cli } from './support/cli.ts';
import { checkText } from '../src/plan/build.ts';
import { runPlan } from '../src/run/run.ts';
import { loadModel, saveModel, encodeModel } from '../src/onnx/io.ts';
import { zooByName } from '../src/zoo/registry.ts';
import { setMetadata } from '../src/onnx/make.ts';
import { sparedLayers } from '../src/passes/prune/run.ts';
import { runFuse } from '../src/passes/fuse/run.ts';
import type { RunContext } from '../src/run/types.ts';
import type { Report } from '../src/run/report.ts';

const dir = mkdtempSync(join(tmpdir(), 'lithe-run-'));
const data = join(dir, 'data');
// the CLI generates synthetic sets under ./data: this file's process works in its own folder
process.chdir(dir);

function recipe(name: string, body: string): string {
  const file = join(dir, `${name}.cmp`);
  writeFileSync(file, `model "${join(dir, 'micro.onnx')}"\ndata synth images 16\ntarget x86\n${body}\n`);
  return file;
}

// a micro-yolo for the synthetic set's 9 classes at 64 px, saved as a file with its profile recorded
const micro = zooByName.get('micro-yolo')!.build({ size: 64, classes: 9, seed: 0 });
setMetadata(micro, 'lithe.profile', 'micro-yolo');
saveModel(micro, join(dir, 'micro.onnx'));
const inputBytes = readFileSync(join(dir, 'micro.onnx'));

async function outputs(model: Uint8Array): Promise<Float32Array[]> {
  const s = await ort.InferenceSession.create(model);
  const x = new ort.Tensor('float32', Float32Array.from({ length: 3 * 64 * 64 }, (_, i) => ((i * 7919) % 255) / 255), [1, 3, 64, 64]);
  const r = await s.run({ [s.inputNames[0]!]: x });
  return s.outputNames.map((n) => r[n]!.data as Float32Array);
}

test('a run writes the plan, log, a model per step and the report, prints the table, and leaves the input alone', async () => {
  const out = join(dir, 'run-a');
  const file = recipe('a', `fuse\nprune backbone l1 0.5 finetune epochs 1\nquantize int8 ptq calib 8\neval\nexport onnx "${join(dir, 'exported.onnx')}"`);
  const r = await cli('run', file, '--out', out, '--threads', '1');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /\| input \|/);
  assert.match(r.out, /\| 2\. prune \|/);
  // fine-tuning says how far it has got (first update at once, then every few seconds), on stderr only, not in run.log
  assert.match(r.err, /  prune: epoch 1\/1: step \d+\/\d+, loss \d/);
  assert.doesNotMatch(readFileSync(join(out, 'run.log'), 'utf8'), /: step \d+\//);
  for (const f of ['plan.json', 'run.log', 'state.json', 'report.json', 'report.md', 'report.html', '01-fuse.onnx', '02-prune.onnx', '03-quantize.onnx', '04-eval.onnx', '05-export.onnx']) assert.ok(existsSync(join(out, f)), f);
  assert.ok(!readdirSync(out).some((f) => f.includes('.tmp-')), 'no temporary files left');
  assert.deepEqual(readFileSync(join(dir, 'micro.onnx')), inputBytes);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  assert.deepEqual(report.steps.map((s) => s.pass), ['fuse', 'prune', 'quantize', 'eval', 'export']);
  const [fuse, prune, quantize] = report.steps;
  assert.equal(fuse!.measures.params < report.before.params, true, 'BN parameters folded away');
  assert.ok(prune!.measures.params < fuse!.measures.params * 0.7, 'half the backbone channels gone');
  assert.ok(quantize!.measures.bytes < prune!.measures.bytes / 2.5, 'int8 weights');
  for (const s of report.steps) assert.equal(typeof s.measures.map, 'number');
  assert.ok(report.steps[0]!.measures.latency_ms?.['1']! > 0);
  // how latency was measured: per figure its runs, p90 and load; per report the method and the host
  const st = report.before.latency_stats!['1']!;
  assert.ok(st.runs >= 30 && st.p90_ms >= report.before.latency_ms!['1']! && st.load.length === 2, JSON.stringify(st));
  assert.ok(report.latency_method!.host.cpu && report.latency_method!.host.cores > 0);
  assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /Latency: median .* Host: .*onnxruntime \d/);
  assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /\| input \| 1 \| [\d.]+ \| [\d.]+ \|/);
  // report.html draws the run's own data: channels of the pruned layers, the fine-tuning loss, mAP against latency
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  for (const id of ['map-latency', 'channels', 'loss', 'predicted']) assert.match(html, new RegExp(`<section id="${id}">.*?<svg class="plot".*?</section>`), id);
  // each measured model also has x86's predicted latency (the target here), the predicted-against-measured chart's data
  for (const m of [report.before, ...report.steps.map((s) => s.measures)]) if (m.latency_ms) assert.ok(m.predicted_latency_ms!.x86! > 0, JSON.stringify(m.predicted_latency_ms));
  assert.deepEqual(readFileSync(join(dir, 'exported.onnx')), readFileSync(join(out, '05-export.onnx')));
  assert.equal((await outputs(readFileSync(join(out, '03-quantize.onnx')))).length, 2);
  assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /layers:\n\n\| layer \| channels_before \| channels_after \|/);
});

test('fuse leaves the outputs equal', async () => {
  const r = await runFuse({ pass: 'fuse', params: {}, index: 1, defaults: {}, range: undefined! }, {} as RunContext, micro);
  assert.equal(r.model.graph!.node.filter((n) => n.opType === 'BatchNormalization').length, 0);
  const [a, b] = [await outputs(encodeModel(micro)), await outputs(encodeModel(r.model))];
  a.forEach((x, i) => x.forEach((v, k) => assert.ok(Math.abs(v - b[i]![k]!) <= 1e-4 * (1 + Math.abs(v)), `output ${i}[${k}]: ${v} vs ${b[i]![k]}`)));
});

test('a stopped run resumes after its last finished step; without --resume the folder is not overwritten', async () => {
  const out = join(dir, 'run-b');
  const { plan } = checkText('b.cmp', readFileSync(recipe('b', 'fuse\nprune backbone bn 0.25\neval map'), 'utf8'));
  await assert.rejects(runPlan(plan!, { out, threads: 1, dataDir: data, stopRequested: () => existsSync(join(out, '01-fuse.onnx')) }), /stopped before step 2.*--resume/);
  const mid = JSON.parse(readFileSync(join(out, 'state.json'), 'utf8'));
  assert.equal(mid.steps.length, 1);
  await assert.rejects(runPlan(plan!, { out, threads: 1, dataDir: data }), /--resume/);
  const report = await runPlan(plan!, { out, threads: 1, dataDir: data, resume: true });
  assert.deepEqual(report.steps.map((s) => s.pass), ['fuse', 'prune', 'eval']);
  assert.match(readFileSync(join(out, 'run.log'), 'utf8'), /resuming after step 1/);
  assert.equal(loadModel(join(out, '02-prune.onnx')).graph!.node.length, loadModel(join(out, '01-fuse.onnx')).graph!.node.length);
  // a comment added above the steps moves their source ranges, not the plan: the run resumes (here: is done);
  // a changed statement is another plan
  const moved = checkText('b.cmp', `# a note\n\n${readFileSync(recipe('b', 'fuse\nprune backbone bn 0.25\neval map'), 'utf8')}`).plan!;
  assert.notDeepEqual(moved.steps[0]!.range, plan!.steps[0]!.range);
  assert.equal((await runPlan(moved, { out, threads: 1, dataDir: data, resume: true })).steps.length, 3);
  // a changed statement: the steps before it are kept (with --resume), the rest run again
  const other = checkText('b.cmp', readFileSync(recipe('b', 'fuse\nprune backbone bn 0.3\neval map'), 'utf8')).plan!;
  await assert.rejects(runPlan(other, { out, threads: 1, dataDir: data }), /other statements from step 2: pass --resume to keep step 1 /);
  const fused = readFileSync(join(out, '01-fuse.onnx'));
  const again = await runPlan(other, { out, threads: 1, dataDir: data, resume: true });
  assert.match(readFileSync(join(out, 'run.log'), 'utf8'), /the plan changed from step 2: step 1 is kept, the rest run again\n.*resuming after step 1/);
  assert.ok(readFileSync(join(out, '01-fuse.onnx')).equals(fused));
  assert.equal(again.steps[0]!.seconds, report.steps[0]!.seconds, 'step 1 is the earlier run\'s');
  assert.ok(again.steps[1]!.measures.params < report.steps[1]!.measures.params, 'step 2 pruned 30%, not 25%');
  assert.equal(JSON.parse(readFileSync(join(out, 'state.json'), 'utf8')).changedFrom, undefined);
  // another model, data, target or scope is another plan
  const elsewhere = checkText('b.cmp', readFileSync(recipe('b', 'fuse\nprune backbone bn 0.3\neval map'), 'utf8').replace('target x86', 'target tx2')).plan!;
  await assert.rejects(runPlan(elsewhere, { out, threads: 1, dataDir: data, resume: true }), /holds a run of a different plan \(its model, data, target/);
});

test('steps this version cannot execute stop the run before anything is written', async () => {
  const out = join(dir, 'run-c');
  const r = await cli('run', recipe('c', 'prune backbone l1 0.5\nreplace backbone conv with mbconv expand 1.5\nreplace backbone conv with mbconv expand 2.5\nquantize int8 qat epochs 1\nexport tensorrt "x"'), '--out', out);
  assert.equal(r.code, 2);
  assert.match(r.err, /step 2 \(replace, line 5\): expand 1.5: this version expands by whole numbers only/);
  assert.match(r.err, /step 3 \(replace, line 6\): expand 2.5/);
  assert.doesNotMatch(r.err, /step [45]/, 'qat and export tensorrt run');
  assert.ok(!existsSync(out));
});

test('a missing model file is one line naming it, exit 1, before anything runs', async () => {
  const file = join(dir, 'd.cmp');
  writeFileSync(file, `model "${join(dir, 'nope.onnx')}"\nfuse\n`);
  const r = await cli('run', file, '--out', join(dir, 'run-d'));
  assert.equal(r.code, 1);
  assert.match(r.err, /d\.cmp:1:7: error CMP3013: no such model file: '.*nope\.onnx'/);
  assert.ok(!existsSync(join(dir, 'run-d')));
});

test('progressive pruning records its rounds and a per-layer sensitivity table', async () => {
  const out = join(dir, 'run-e');
  const { plan } = checkText('e.cmp', readFileSync(recipe('e', 'prune backbone l1 0.25 step 1/8 until map drop 50%'), 'utf8'));
  const report = await runPlan(plan!, { out, threads: 1, dataDir: data });
  const details = report.steps[0]!.details as { rounds: { round: number }[]; sensitivity: { layer: string }[] };
  assert.deepEqual(details.rounds.map((r) => r.round), [0, 1, 2]);
  assert.ok(details.sensitivity.length > 0 && details.sensitivity.every((s) => s.layer.startsWith('layers.0')));
  assert.ok(report.steps[0]!.measures.params < report.before.params);
});

test('progressive pruning keeps whole the layers whose one round alone costs more than the budget', () => {
  // micro-yolo-synth's sensitivity table after distillation, budget 0.5 points
  const rows = [
    { layer: 'layers.008.conv', map_drop_points: 2.41 }, { layer: 'layers.006.conv', map_drop_points: 1.07 },
    { layer: 'layers.012.pw.conv', map_drop_points: 0.23 }, { layer: 'layers.010.pw.conv', map_drop_points: 0.07 },
  ];
  assert.deepEqual(sparedLayers(rows, 0.005), ['layers.008.conv', 'layers.006.conv']);
  assert.deepEqual(sparedLayers(rows, 0.5), []);
  assert.deepEqual(sparedLayers(rows, 0), rows.map((r) => r.layer));
});

test('yolov4-tiny (darknet import: channel-group routes, scale_x_y) at 64 px: prune backbone l1 0.5, then quantize int8', async () => {
  const tiny = zooByName.get('yolov4-tiny')!.build({ size: 64, classes: 9, seed: 0 });
  setMetadata(tiny, 'lithe.profile', 'yolov4-tiny');
  saveModel(tiny, join(dir, 'v4tiny.onnx'));
  const file = join(dir, 'v4.cmp');
  writeFileSync(file, `model "${join(dir, 'v4tiny.onnx')}"\ndata synth images 16\ntarget x86\nprune backbone l1 0.5\nquantize int8 ptq calib 8\n`);
  const out = join(dir, 'run-v4');
  const r = await cli('run', file, '--out', out, '--threads', '1');
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  const [prune, quantize] = report.steps;
  assert.ok(prune!.measures.params < report.before.params * 0.75, `${prune!.measures.params} of ${report.before.params} params after pruning`);
  assert.ok(quantize!.measures.bytes < prune!.measures.bytes / 2.5, 'int8 weights');
  for (const s of report.steps) assert.equal(typeof s.measures.map, 'number');
  const pruned = loadModel(join(out, '01-prune.onnx'));
  // the CSP split still takes the second half of what is left of its input's channels
  const slice = pruned.graph!.node.find((n) => n.name === 'layers.003.route')!;
  assert.equal(slice.opType, 'Slice');
  const outs = await outputs(readFileSync(join(out, '02-quantize.onnx')));
  assert.deepEqual(outs.map((o) => o.length), [3 * 14 * 2 * 2, 3 * 14 * 4 * 4]);
  assert.ok(outs.every((o) => o.every(Number.isFinite)));
});
