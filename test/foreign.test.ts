// Models written the way other exporters write them (test/support/foreign/), through the commands a new user
// runs first: lithe info (every weight counted, MACs once the size is fixed), convert (a file onnxruntime
// loads), and lithe run with int8 PTQ and with pruning on the small synthetic set. The models carry lithe's
// own `lithe.yolo` description so that the runs can measure mAP (recognising foreign heads is not this
// test's subject).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { cli } from './support/cli.ts';
import type { Report } from '../src/run/report.ts';
import { FOREIGN_STYLES, SIZE } from './support/foreign/index.ts';
import { writeInt64Shapes } from './support/foreign/int64-shapes.ts';
import { constantsModel } from './support/foreign/constants.ts';
import { encodeModel } from '../src/onnx/io.ts';
import { attr, DataType, valueInfo } from '../src/onnx/make.ts';
import { synthSet } from './support/robust/fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'lithe-foreign-'));
process.chdir(dir);

test('a text-detector-like model (weights in Constants, int64 shape arithmetic, symbolic height and width): lithe info counts its weights', async () => {
  const { path, params } = writeInt64Shapes(join(dir, 'text.onnx'), { weightsIn: 'constants' });
  const plain = await cli('info', path, '--json');
  assert.equal(plain.code, 0, plain.err);
  const j = JSON.parse(plain.out) as { params: number; macs: number; uncounted: string[]; opset: number; prepared: string[] };
  assert.equal(j.params, params);
  assert.equal(j.opset, 13);
  assert.ok(j.uncounted.length > 0, 'no size: the convolutions cannot be counted');
  assert.match(j.prepared.join('\n'), /Constant nodes became initializers/);
  const sized = JSON.parse((await cli('info', path, '--json', '--size', String(SIZE))).out) as { params: number; macs: number; uncounted: string[] };
  assert.deepEqual([sized.params, sized.uncounted], [params, []]);
  assert.ok(sized.macs > 1e6);
  const text = await cli('info', path);
  assert.match(text.out, new RegExp(`params +${params.toLocaleString('en-US')} `));
  assert.match(text.out, /prepared +constants: \d+ Constant nodes became initializers/);
  assert.match(text.out, /not counted, from '[^']+': their shapes are unknown: the input has no fixed size \(--size fixes it\)/);
  const bad = await cli('info', path, '--size', '12x');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--size expects N or HxW/);
});

test('lithe bench and eval take --size for a symbolic input, and say how to fix a missing one', async () => {
  const style = FOREIGN_STYLES.find((s) => s.id === 'dynamic')!;
  const { path } = style.write(join(dir, 'dyn.onnx'), { litheHead: true });
  const none = await cli('bench', path, '--runs', '2');
  assert.equal(none.code, 1);
  assert.match(none.err, /input 'images' has no fixed size \(batch x 3 x height x width\): add `input N` or `input HxW`.*--size/);
  const b = await cli('bench', path, '--runs', '2', '--size', '48x64', '--json');
  assert.equal(b.code, 0, b.err);
  assert.ok((JSON.parse(b.out) as { median_ms: number }).median_ms > 0);
  const e = await cli('eval', path, '--data', synthSet(), '--size', '64', '--json');
  assert.equal(e.code, 0, e.err);
  assert.equal((JSON.parse(e.out) as { coco: number[] }).coco.length, 12);
  // lithe run: a recipe without `input` says how to fix it; --size fixes it from the command line
  writeFileSync(join(dir, 'dyn.cmp'), `model "${path}"\ndata coco "${synthSet()}"\ntarget x86\neval\n`);
  const refused = await cli('run', join(dir, 'dyn.cmp'), '--out', join(dir, 'dyn-a'));
  assert.equal(refused.code, 1);
  assert.match(refused.err, /input 'images' has no fixed size .*add `input N` or `input HxW`/);
  const sized = await cli('run', join(dir, 'dyn.cmp'), '--out', join(dir, 'dyn-b'), '--size', '48x64', '--threads', '1');
  assert.equal(sized.code, 0, sized.err);
  assert.match(sized.err, /input 'images' fixed at batch x 3 x 48 x 64/);
});

async function loads(file: string): Promise<void> {
  const s = await ort.InferenceSession.create(readFileSync(file));
  await s.release();
}

for (const style of FOREIGN_STYLES) {
  test(`${style.id} (${style.summary}): info, convert, and lithe run with int8 PTQ and with pruning`, async () => {
    const sub = mkdtempSync(join(dir, `${style.id}-`));
    const { path, params } = style.write(join(sub, 'model.onnx'), { litheHead: true });
    const info = JSON.parse((await cli('info', path, '--json', '--size', String(SIZE))).out) as { params: number; uncounted: string[] };
    assert.deepEqual([info.params, info.uncounted], [params, []]);
    const conv = await cli('convert', path, join(sub, 'copy.onnx'));
    assert.equal(conv.code, 0, conv.err);
    await loads(join(sub, 'copy.onnx'));
    const head = `model "${path}"\ndata coco "${synthSet()}"\ntarget x86\n${style.symbolicSize ? `input ${SIZE}\n` : ''}`;
    for (const [name, body] of [['ptq', 'quantize int8 ptq calib 8'], ['prune', 'prune all l1 0.3']] as const) {
      const recipe = join(sub, `${name}.cmp`);
      writeFileSync(recipe, `${head}${body}\n`);
      const out = join(sub, `run-${name}`);
      const r = await cli('run', recipe, '--out', out, '--threads', '1');
      assert.equal(r.code, 0, `${style.id} ${name}: ${r.err}`);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
      const step = report.steps[0]!;
      assert.equal(report.before.params, params, `${style.id} ${name}: the input's weights all counted`);
      assert.equal(typeof step.measures.map, 'number', `${style.id} ${name}: mAP measured`);
      if (name === 'ptq') {
        assert.ok(step.measures.bytes < report.before.bytes / 2, `${style.id}: int8 weights`);
        assert.equal(step.measures.macs, report.before.macs, `${style.id}: MACs counted through Q/DQ`);
      } else {
        assert.ok(step.measures.params < report.before.params, `${style.id}: channels removed (${step.measures.params} of ${report.before.params})`);
      }
      await loads(join(out, report.steps[0]!.model));
      if (style.nhwc || style.symbolicSize || style.id === 'constants') assert.match(readFileSync(join(out, 'run.log'), 'utf8'), /preparing .*model\.onnx: /);
    }
  });
}

test('a static export whose batch of 1 is baked into a Reshape: calibration feeds it batches of 1; training says why it cannot', async () => {
  const sub = mkdtempSync(join(dir, 'static-'));
  const { model } = constantsModel({ litheHead: true });
  model.graph!.input[0] = valueInfo('input', DataType.FLOAT, [1, 3, SIZE, SIZE]);
  model.graph!.node.find((n) => n.output[0] === 'onnx::Reshape_shape')!.attribute = [attr('value_ints', [1, 42, 4, 4])];
  writeFileSync(join(sub, 'm.onnx'), encodeModel(model));
  const head = `model "${join(sub, 'm.onnx')}"\ndata coco "${synthSet()}"\ntarget x86\n`;
  writeFileSync(join(sub, 'ptq.cmp'), `${head}quantize int8 ptq calib 8\n`);
  const r = await cli('run', join(sub, 'ptq.cmp'), '--out', join(sub, 'ptq'), '--threads', '1');
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /keeps its batch of 1: node 'Reshape_16' \(Reshape\) has the batch in its target/);
  const q = JSON.parse(readFileSync(join(sub, 'ptq', 'report.json'), 'utf8')) as Report;
  assert.equal(q.steps[0]!.details!.calibration_images, 8);
  writeFileSync(join(sub, 'ft.cmp'), `${head}finetune epochs 1\n`);
  const f = await cli('run', join(sub, 'ft.cmp'), '--out', join(sub, 'ft'), '--threads', '1');
  assert.equal(f.code, 1, f.err);
  assert.match(f.err, /input 'input' takes a batch of 1 only; training feeds batches of 8/);
});
