// lithe run to the end of a deployment recipe on a small zoo model: a thesis-yolov3-tx2-style pipeline
// (fuse, prune rounded to the TX2's alignment, fp16, export tensorrt) and a kirin990 one (int8, export
// mslite) end with their export folders, and the report lists every file written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { cli } from './support/cli.ts';
import { saveModel } from '../src/onnx/io.ts';
import { attr, setMetadata } from '../src/onnx/make.ts';
import { zooByName } from '../src/zoo/registry.ts';
import type { Report } from '../src/run/report.ts';

const dir = mkdtempSync(join(tmpdir(), 'lithe-export-run-'));
process.chdir(dir);
const micro = zooByName.get('micro-yolo')!.build({ size: 64, classes: 9, seed: 0 });
setMetadata(micro, 'lithe.profile', 'micro-yolo');
saveModel(micro, join(dir, 'micro.onnx'));

async function run(name: string, body: string): Promise<{ out: string; report: Report; err: string }> {
  const file = join(dir, `${name}.cmp`);
  writeFileSync(file, `model "${join(dir, 'micro.onnx')}"\ndata synth images 16\n${body}\n`);
  const out = join(dir, `run-${name}`);
  const r = await cli('run', file, '--out', out, '--threads', '1');
  assert.equal(r.code, 0, r.err);
  return { out, err: r.err, report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report };
}

const loads = async (path: string) => assert.ok((await ort.InferenceSession.create(readFileSync(path))).outputNames.length === 2, path);

test('a tx2 recipe (fuse, prune round 16, fp16, export tensorrt) ends with the TensorRT folder: fp16 model, build.sh, README.txt', async () => {
  const { out, report } = await run('tx2', `target tx2\nfuse\nprune backbone l1 0.5 round 16\nquantize fp16\nexport tensorrt "${join(dir, 'trt')}"`);
  for (const f of ['model.onnx', 'build.sh', 'README.txt']) assert.ok(existsSync(join(dir, 'trt', f)), f);
  assert.match(readFileSync(join(dir, 'trt', 'build.sh'), 'utf8'), /--onnx=model\.onnx .*--fp16 --workspace=1024 --saveEngine=model_fp16\.engine/);
  await loads(join(dir, 'trt', 'model.onnx'));
  const exp = report.steps.at(-1)!;
  assert.equal(exp.details!.precision, 'fp16');
  assert.deepEqual((exp.details!.files as { file: string }[]).map((f) => f.file), ['model.onnx', 'build.sh', 'README.txt'].map((f) => join(dir, 'trt', f)));
  assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /build\.sh.*builds the fp16 engine with trtexec/);
});

test('a kirin990 recipe (fuse, int8, export mslite) ends with the converter folder: float model, converter.cfg, BIN files, convert.sh', async () => {
  const { out, report, err } = await run('kirin', 'target kirin990\nfuse\nquantize int8 calib 8 method entropy\nexport mslite');
  // said before the first step: the model as loaded has BatchNormalizations the NPU does not run, which fuse folds
  assert.match(err, /step 3 \(export, line 6\): the Kirin NPU \(MindSpore Lite NPU delegate\) does not run \d+ nodes of the model as loaded \(\d+ BatchNormalization\); they fall back to the CPU unless a step removes them/);
  assert.ok(err.indexOf('does not run') < err.indexOf('step 1 (line 4) starts'));
  const exp = report.steps.at(-1)!;
  const folder = String(exp.details!.path);
  assert.ok(folder.startsWith(out) && folder.endsWith('mslite'), `${folder}: inside the run folder, without a path`);
  for (const f of ['model.onnx', 'converter.cfg', 'convert.sh', 'npu-fallback.txt', 'README.txt', 'calibration/images/0007.bin']) assert.ok(existsSync(join(folder, f)), f);
  const cfg = readFileSync(join(folder, 'converter.cfg'), 'utf8');
  assert.match(cfg, /calibrate_size=8\n/);
  assert.match(cfg, /activation_quant_method=KL\n/);
  assert.equal(readFileSync(join(folder, 'calibration/images/0000.bin')).byteLength, 64 * 64 * 3 * 4);
  await loads(join(folder, 'model.onnx'));
  assert.equal(exp.details!.cpu_fallback, 0);
});

test('a Resize mode TensorRT 8.2 lacks stops a tx2 run before the first step, naming the node, the export step and the alternative (CMP4014)', async () => {
  const cubic = zooByName.get('micro-yolo')!.build({ size: 64, classes: 9, seed: 0 });
  const resize = cubic.graph!.node.find((n) => n.opType === 'Resize')!;
  resize.attribute = [...resize.attribute.filter((a) => a.name !== 'mode'), attr('mode', 'cubic')];
  saveModel(cubic, join(dir, 'cubic.onnx'));
  const file = join(dir, 'cubic.cmp');
  writeFileSync(file, `model "${join(dir, 'cubic.onnx')}"\ndata synth images 16\ntarget tx2\nfuse\nexport tensorrt "${join(dir, 'never')}"\n`);
  const r = await cli('run', file, '--out', join(dir, 'run-cubic'), '--threads', '1');
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, new RegExp(`step 2 \\(export, line 5\\): CMP4014: TensorRT 8\\.2's ONNX parser cannot import 1 node of the model:\\n  node '${resize.name}' \\(Resize\\): mode 'cubic' is not supported \\(supported: nearest, linear\\); instead: use mode linear`));
  assert.doesNotMatch(r.err, /step 1 \(line 4\) starts/);
  assert.ok(!existsSync(join(dir, 'never')));
  // lithe explain says it too, under the export step, without running anything
  const explained = await cli('explain', file);
  assert.equal(explained.code, 0, explained.err);
  assert.match(explained.out, new RegExp(`2\\. export  \\(line 5\\)\\n.*\\n.*\\n {7}ops {5}CMP4014: TensorRT 8\\.2's ONNX parser cannot import 1 node of the model:\\n {11}node '${resize.name}' \\(Resize\\): mode 'cubic'`));
});

test('an export folder another run wrote is not replaced without --force; the run that wrote it may write it again (--resume)', async () => {
  const trt = join(dir, 'trt-twice');
  const file = join(dir, 'twice.cmp');
  writeFileSync(file, `model "${join(dir, 'micro.onnx')}"\ntarget tx2\nexport tensorrt "${trt}"\n`);
  assert.equal((await cli('run', file, '--out', join(dir, 'run-t1'))).code, 0);
  assert.equal((await cli('run', file, '--out', join(dir, 'run-t1'), '--resume')).code, 0);
  const other = await cli('run', file, '--out', join(dir, 'run-t2'));
  assert.equal(other.code, 2);
  assert.match(other.err, /trt-twice: already exists and lithe did not write it in this run; choose another path, or pass --force/);
  assert.equal((await cli('run', file, '--out', join(dir, 'run-t3'), '--force')).code, 0);
});

test('an export folder that would write over the model inside it is CMP3012 at check, and lithe run refuses it before anything runs', async () => {
  const folder = join(dir, 'shipped');
  mkdirSync(folder);
  saveModel(micro, join(folder, 'model.onnx'));
  const file = join(dir, 'over.cmp');
  writeFileSync(file, `model "${join(folder, 'model.onnx')}"\ntarget tx2\nexport tensorrt "${folder}"\n`);
  const checked = await cli('check', file);
  assert.equal(checked.code, 1);
  assert.match(checked.out + checked.err, /CMP3012: export ".*shipped\/model\.onnx" would overwrite the input model/);
  const ran = await cli('run', file, '--out', join(dir, 'run-over'));
  assert.notEqual(ran.code, 0);
  assert.match(ran.err, /shipped\/model\.onnx/);
  assert.ok(!existsSync(join(dir, 'run-over', 'plan.json')));
});
