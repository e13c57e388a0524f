// Issue 19 item 2: `lithe explain` predicts params, MACs, size and latency after each step without running
// anything; `--target a --target b` shows a recipe on several targets side by side; hover on a step says
// the same. The model is zoo:yolov3-tiny at 128 (built in code, no file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkText } from '../src/plan/build.ts';
import { predictPlan } from '../src/latency/steps.ts';
import { loadTarget } from '../src/targets/load.ts';
import { zooByName } from '../src/zoo/registry.ts';
import { setMetadata } from '../src/onnx/make.ts';
import * as service from '../src/service/index.ts';
import { cli } from './support/cli.ts';

const RECIPE = `model zoo:yolov3-tiny
input 128
target tx2
prune backbone l1 0.5
fuse
quantize fp16
export onnx "out.onnx"
`;

function input() {
  const m = zooByName.get('yolov3-tiny')!.build({ size: 128, seed: 0 });
  setMetadata(m, 'lithe.profile', 'yolov3-tiny');
  return m;
}

test('predictPlan: pruning halves the backbone channels, fuse folds BN, fp16 halves the bytes, export changes nothing', () => {
  const { plan } = checkText('r.cmp', RECIPE);
  const p = predictPlan(plan!, input(), [loadTarget('tx2')]);
  const [prune, fuse, fp16, exp] = p.steps;
  assert.ok(prune!.macs < 0.55 * p.input.macs && prune!.params < 0.55 * p.input.params, 'backbone at half its channels');
  assert.ok((prune!.ms.tx2 as number) < (p.input.ms.tx2 as number));
  assert.ok(fuse!.params < prune!.params && fuse!.macs === prune!.macs);
  assert.equal(fp16!.precision, 'fp16');
  assert.equal(fp16!.bytes, fuse!.bytes / 2);
  assert.ok((fp16!.ms.tx2 as number) < (fuse!.ms.tx2 as number));
  assert.equal(exp!.changed, false);
  assert.equal(exp!.ms.tx2, fp16!.ms.tx2);
});

test('a target with no latency model gets figures without latency, and says why', () => {
  const { plan } = checkText('r.cmp', RECIPE);
  const p = predictPlan(plan!, input(), [loadTarget('kirin990')]);
  assert.match(String(p.input.ms.kirin990), /no latency model/);
  assert.ok(p.steps.every((s) => s.params > 0));
});

test('lithe explain prints the predicted figures of the input model and after each step', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-explain-'));
  try {
    const file = join(dir, 'r.cmp');
    writeFileSync(file, RECIPE);
    const r = await cli('explain', file);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^ {4}predicted 8\.86 M params, 0\.26 G MACs, 33\.8 MiB fp32; latency tx2 [\d.]+ ms$/m);
    assert.match(r.out, /^ {7}predicts {2}3\.\d+ M params \(−5\d\.\d%\), 0\.11 G MACs \(−5\d\.\d%\), 14\.\d MiB \(−5\d\.\d%\) fp32; latency tx2 [\d.]+ ms \(−\d+\.\d%\)$/m);
    assert.match(r.out, /^ {17}11 BatchNormalization folded$/m);
    assert.match(r.out, /7\.1 MiB \(−50\.0%\) fp16/);
    assert.match(r.out, /^ {7}predicts {2}no change to size or speed$/m);
    const side = await cli('explain', file, '--target', 'tx2', '--target', 'kirin990');
    assert.equal(side.code, 0, side.err);
    assert.match(side.out, /^ {2}round {11}8 +16$/m);
    assert.match(side.out, /^ {2}export {10}tensorrt, opset 13 +mslite, opset 13$/m);
    assert.match(side.out, /^ {5}predicts {5}3\.\d+ M, 0\.11 G, 14\.\d MiB fp32, [\d.]+ ms +3\.\d+ M, 0\.12 G, 14\.\d MiB fp32, no latency model$/m);
    assert.equal((await cli('explain', file, '--target', 'tx2', '--target', 'tx9')).code, 2);
    assert.equal((await cli('explain', file, '--json', '--target', 'tx2', '--target', 'x86')).code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hover on a step verb adds what the step is predicted to leave', async () => {
  const offset = RECIPE.indexOf('prune') + 2;
  const h = await service.hoverWithModel(RECIPE, offset, join(tmpdir(), 'r.cmp'));
  assert.match(h!.markdown, /Predicted after this step: 3\.\d+ M params \(−5\d\.\d%\).*latency tx2 [\d.]+ ms/);
  const q = await service.hoverWithModel(RECIPE, RECIPE.indexOf('quantize') + 1, join(tmpdir(), 'r.cmp'));
  assert.match(q!.markdown, /fp16; latency tx2/);
});

test('replace builds the blocks unfitted; a step that cannot apply stops the predictions with its reason', () => {
  const text = 'model zoo:yolov3-tiny\ninput 128\ndata synth\ntarget tx2\nreplace backbone conv with dsconv\nreplace neck conv with mbconv kernel auto\nquantize fp16\n';
  const { plan } = checkText('r.cmp', text);
  const p = predictPlan(plan!, input(), [loadTarget('tx2')]);
  assert.equal(p.steps.length, 1);
  assert.ok(p.steps[0]!.params < 0.4 * p.input.params && p.steps[0]!.macs < 0.5 * p.input.macs);
  assert.deepEqual(p.steps[0]!.notes, ['7 layers become dsconv blocks']);
  assert.equal(p.stopped?.index, 2);
  assert.match(p.stopped!.why, /no convolution a mbconv block can replace: 'layers\.013\.conv' is a 1x1/);
});

test('models in the exporters\' styles: explain predicts on each (weights in Constants, symbolic sizes, int64 shape arithmetic, NHWC)', async () => {
  const { FOREIGN_STYLES } = await import('./support/foreign/index.ts');
  const dir = mkdtempSync(join(tmpdir(), 'lithe-explain-foreign-'));
  try {
    for (const style of FOREIGN_STYLES) {
      const model = join(dir, `${style.id}.onnx`);
      style.write(model);
      const file = join(dir, `${style.id}.cmp`);
      writeFileSync(file, `model "${style.id}.onnx"\n${style.symbolicSize ? 'input 64\n' : ''}data synth\ntarget x86\nprune all l1 latency 1.5x\nquantize int8\n`);
      const r = await cli('explain', file);
      assert.equal(r.code, 0, `${style.id}: ${r.err}`);
      assert.match(r.out, /^ {4}predicted [\d.]+ [kM] params, [\d.]+ [kMG] MACs, [\d.]+ [KM]iB fp32; latency x86 [\d.]+ ms$/m, style.id);
      assert.match(r.out, /^ {7}predicts {2}.*int8; latency x86 [\d.]+ ms/m, style.id);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
