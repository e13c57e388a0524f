// Issue 13, items 5 and 6 at check time: `data images` and its preprocessing, `head`, paths resolved from the
// recipe's folder, and what `lithe check` finds before a run would: missing or misshapen model, teacher and
// data, steps that need data or labels, steps this version cannot run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { checkText, type CheckOptions } from '../src/plan/build.ts';
import { encodePng } from '../src/data/image.ts';
import { main } from '../src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'lithe-labels-'));
const at = (...p: string[]) => join(dir, ...p);
const put = (path: string, data: string | Uint8Array = ''): string => { mkdirSync(join(path, '..'), { recursive: true }); writeFileSync(path, data); return path; };
const png = encodePng({ width: 4, height: 3, data: new Uint8Array(36).fill(90) });

put(at('proj', 'models', 'm.onnx'), 'x');
put(at('proj', 'photos', 'a.png'), png);
put(at('proj', 'photos', 'deeper', 'b.JPG'), 'not decoded by check');
put(at('proj', 'text', 'notes.txt'), 'no images here');
put(at('proj', 'sets', 'train.json'), '{"images": []}');
put(at('proj', 'sets', 'broken.json'), 'images: no');
put(at('proj', 'sets', 'data.yaml'), 'names: [a]');
mkdirSync(at('proj', 'recipes'), { recursive: true });
mkdirSync(at('proj', 'voc-empty'), { recursive: true });
mkdirSync(at('proj', 'VOCdevkit', 'VOC2007', 'Annotations'), { recursive: true });

/** The recipe's diagnostics as `CODE severity line:col message`. */
function check(text: string, opts: CheckOptions = {}, file = at('proj', 'recipes', 'r.cmp')) {
  const r = checkText(file, text, opts);
  return { ...r, lines: r.diagnostics.map((d) => `${d.code} ${d.severity} ${d.range.start.line}:${d.range.start.col} ${d.message}`) };
}
const rel = (...p: string[]) => relative(process.cwd(), at(...p));

test('model, teacher, data and export paths resolve from the recipe folder; the plan records them from the working folder', () => {
  const r = check('model "../models/m.onnx"\nteacher "../models/m.onnx" as big\ndata images "../photos" calib 8\nexport onnx "../out/x.onnx"\n');
  assert.deepEqual(r.lines, []);
  assert.equal(r.plan!.model!.path, rel('proj', 'models', 'm.onnx'));
  assert.equal(r.plan!.teachers.big!.path, rel('proj', 'models', 'm.onnx'));
  assert.deepEqual(r.plan!.data, { format: 'images', path: rel('proj', 'photos'), calib: 8 });
  assert.equal(r.plan!.steps[0]!.params.path, rel('proj', 'out', 'x.onnx'));
  // absolute paths stay as they are
  assert.equal(check(`model "${at('proj', 'models', 'm.onnx')}"\n`).plan!.model!.path, at('proj', 'models', 'm.onnx'));
  // the input guard sees the resolved paths: an export onto the model by another relative spelling is caught
  assert.deepEqual(check('model "../models/m.onnx"\nexport onnx "../models/../models/m.onnx"\n').lines.map((l) => l.split(' ')[0]), ['CMP3012']);
});

test('--model and --data are relative to the working folder; --data finds the format from the set\'s shape', () => {
  const opts = { model: rel('proj', 'models', 'm.onnx'), data: rel('proj', 'photos') };
  const r = check('data images "nowhere" mean [1, 2, 3] calib 4\nquantize int8\n', opts);
  assert.deepEqual(r.lines, []);
  assert.equal(r.plan!.model!.path, opts.model);
  // the recipe's preprocessing and calib stay; the rest of its data declaration is replaced
  assert.deepEqual(r.plan!.data, { mean: [1, 2, 3], calib: 4, format: 'images', path: opts.data });
  const shapes: [string, string][] = [[rel('proj', 'sets', 'train.json'), 'coco'], [rel('proj', 'sets'), 'coco'], [rel('proj', 'sets', 'data.yaml'), 'yolo'], [rel('proj', 'VOCdevkit'), 'voc']];
  for (const [data, format] of shapes) assert.equal(check('fuse\n', { data }).plan!.data!.format, format, data);
  assert.match(check('fuse\n', { data: rel('proj', 'text') }).lines[0]!, /^CMP3014 error .*not a data set lithe reads/);
  assert.match(check('fuse\n', { data: rel('proj', 'absent') }).lines[0]!, /^CMP3013 error .*no such data set/);
});

test('a missing model, teacher or data set is a CMP3013 warning at its path, an error when lithe run asks', () => {
  const text = 'model "m.onnx"\nteacher "big.onnx" as big\ndata coco "a.json" images "imgs" val "v.json"\n';
  const r = check(text);
  assert.deepEqual(r.lines.map((l) => l.split(' ').slice(0, 3).join(' ')), [
    'CMP3013 warning 1:7', 'CMP3013 warning 2:9', 'CMP3013 warning 3:11', 'CMP3013 warning 3:27', 'CMP3013 warning 3:38',
  ]);
  assert.ok(r.plan, 'warnings only: a plan');
  // the path that moved: as the working folder reads it, it names a file; the hint says how to write it now
  assert.match(r.lines[0]!, /no such model file: '.*recipes\/m\.onnx'/);
  const moved = check(`model "${rel('proj', 'models', 'm.onnx')}"\n`);
  assert.match(moved.lines[0]!, /paths in a recipe are relative to its folder: "\.\.\/models\/m\.onnx" names/);
  assert.equal(moved.diagnostics[0]!.fix?.text, '"../models/m.onnx"');
  // a near name in the folder
  const near = check('data images "../photo"\n');
  assert.match(near.lines[0]!, /no such image folder: .*; did you mean '\.\.\/photos'\?/);
  // lithe run: the same, as errors, and no plan
  const run = check(text, { forRun: true });
  assert.ok(!run.plan);
  assert.ok(run.diagnostics.every((d) => d.code === 'CMP3013' && d.severity === 'error'));
});

test('a model or data set in the wrong form is a CMP3014 error; check reads no more than a listing and a few bytes', () => {
  const cases: [string, RegExp][] = [
    ['data coco "../text"', /folder without train\.json or val\.json/],
    ['data coco "../sets/broken.json"', /not a COCO annotation file/],
    ['data images "../sets/train.json"', /is a file: data images takes a folder/],
    ['data images "../text"', /no PNG or JPEG images in .*text/],
    ['data yolo "../sets/train.json"', /not a YAML file/],
    ['data yolo "../text"', /without a data\.yaml/],
    ['data voc "../voc-empty"', /holds no Annotations\//],
    ['data coco "../sets/train.json" images "../sets/train.json"', /images takes the folder/],
  ];
  for (const [line, says] of cases) {
    const r = check(`${line}\n`);
    assert.equal(r.lines.length, 1, `${line}: ${r.lines.join('; ')}`);
    assert.match(r.lines[0]!, /^CMP3014 error/, line);
    assert.match(r.lines[0]!, says, line);
  }
  for (const ok of ['data coco "../sets/train.json"', 'data coco "../sets"', 'data yolo "../sets/data.yaml"', 'data voc "../VOCdevkit"', 'data images "../photos"']) assert.deepEqual(check(`${ok}\n`).lines, [], ok);
  assert.match(check('model "../photos"\n').lines[0]!, /^CMP3005 error .*is a folder, not a model file/);
});

test('steps that need data without data are CMP4001 (int8 calibration too); labels on unlabelled images, CMP4011', () => {
  assert.deepEqual(check('quantize int8\nquantize fp16\n').lines.map((l) => l.split(' ')[0]), ['CMP4001', 'CMP4003']);
  const images = 'data images "../photos"\n';
  assert.deepEqual(check(`${images}prune backbone entropy+similarity 0.3\nquantize int8\ndistill from teacher with cls\neval\n`).lines.map((l) => l.split(' ')[0]), []);
  const refused = check(`${images}finetune epochs 1\nquantize int8 qat\neval map latency\n`).lines;
  assert.deepEqual(refused.map((l) => l.split(' ').slice(0, 3).join(' ')), ['CMP4011 error 2:1', 'CMP4011 error 3:15', 'CMP4011 error 4:6']);
  assert.match(refused[0]!, /finetune trains on labelled images, but the recipe's data \(images\) has no labels/);
  // eval alone measures what the data allows: latency and size, no mAP
  assert.deepEqual(check(`${images}eval\n`).plan!.steps[0]!.params.metrics, ['latency', 'size']);
  assert.deepEqual(check('data synth\neval\n').plan!.steps[0]!.params.metrics, ['latency', 'map', 'size']);
  assert.deepEqual(check('data synth\nhead none\neval\n').plan!.steps[0]!.params.metrics, ['latency', 'size']);
});

test('a step this version cannot run is a CMP4012 warning (only once the step is well-formed); lithe run refuses it by name', async () => {
  const r = check('data synth\nreplace backbone conv with mbconv expand 1.5\nquantize int8 qat\nexport tensorrt\nexport onnnx\n');
  assert.deepEqual(r.lines.map((l) => l.split(' ').slice(0, 3).join(' ')), ['CMP4012 warning 2:1', 'CMP1012 error 5:8']);
  assert.match(r.lines[0]!, /cannot execute this replace step yet: expand 1.5: this version expands by whole numbers only/);
  let err = '';
  const file = put(at('proj', 'recipes', 'trt.cmp'), 'model zoo:micro-yolo\ndata synth\nreplace backbone conv with mbconv expand 1.5\nquantize int8 qat\nexport tensorrt "x"\n');
  const code = await main(['run', file, '--out', at('run-trt')], { out: () => {}, err: (t) => { err += t; } });
  assert.equal(code, 2);
  assert.match(err, /step 1 \(replace, line 3\): expand 1.5/);
  assert.doesNotMatch(err, /CMP4012/, 'said once, as the reason the run stops');
});

test('head KIND: lowered to plan.head; anchors are (w, h) pairs, one list per stride; options belong to their kinds', () => {
  const head = (h: string) => check(`${h}\n`);
  assert.deepEqual(head('head yolo anchors [10,14, 23,27, 37,58], [81,82, 135,169, 344,319] strides 16, 32 classes 80').plan!.head,
    { kind: 'yolo', anchors: [[10, 14, 23, 27, 37, 58], [81, 82, 135, 169, 344, 319]], strides: [16, 32], classes: 80 });
  assert.deepEqual(head('head anchor-free strides [8, 16, 32] classes 3').plan!.head, { kind: 'anchor-free', strides: [8, 16, 32], classes: 3 });
  assert.deepEqual(head('head none').plan!.head, { kind: 'none' });
  assert.deepEqual(head('head ssd classes 21').plan!.head, { kind: 'ssd', classes: 21 });
  const wrong: [string, string, RegExp][] = [
    ['head yolov5', 'CMP1015', /did you mean 'yolo'/],
    ['head yolo anchors [10,14, 23,27], [81,82, 135,169] strides 8, 16, 32', 'CMP2009', /2 anchor lists but 3 strides/],
    ['head yolo anchors [10,14, 23] strides 8', 'CMP2009', /holds 3 numbers: anchors are \(width, height\) pairs/],
    ['head yolo strides 16, 32', 'CMP2004', /head yolo needs anchors/],
    ['head ssd anchors [10, 14]', 'CMP4007', /head ssd takes no anchors \(anchors go with head yolo\)/],
    ['head none classes 3', 'CMP4007', /head none takes no classes/],
    ['head yolo anchors 10, 14', 'CMP1008', /anchors expects lists of numbers in brackets/],
    ['head yolo anchors [10, 0]', 'CMP2003', /anchors must be above 0/],
    ['head anchor-free strides 8, 0', 'CMP2003', /strides must be 1 to 4096; found 0/],
    ['head anchor-free stride 8', 'CMP1007', /did you mean 'strides'/],
  ];
  for (const [h, code, says] of wrong) {
    const r = head(h);
    assert.equal(r.diagnostics[0]?.code, code, `${h}: ${r.lines.join('; ')}`);
    assert.match(r.diagnostics[0]!.message, says, h);
    assert.ok(!r.plan, h);
  }
});

test('YAML: data options as lists and flags, head as a kind or a mapping, give the .cmp plan', () => {
  const cmp = check('data images "../photos" mean [1, 2, 3] std [4, 5, 6] bgr\nhead yolo anchors [1, 2], [3, 4] strides 8, 16\nquantize int8\n');
  const yaml = check('data: {format: images, path: ../photos, mean: [1, 2, 3], std: [4, 5, 6], bgr: true, nhwc: false}\nhead: {kind: yolo, anchors: [[1, 2], [3, 4]], strides: [8, 16]}\nsteps:\n  - quantize: {precision: int8}\n', {}, at('proj', 'recipes', 'r.yaml'));
  assert.deepEqual(yaml.lines, []);
  assert.deepEqual(yaml.plan!.data, cmp.plan!.data);
  assert.deepEqual(yaml.plan!.head, cmp.plan!.head);
  assert.deepEqual(check('head: none\n', {}, at('proj', 'recipes', 'r.yaml')).plan!.head, { kind: 'none' });
});

test('mean and std: three values in pixel units; 0-1 values are a CMP2010 warning with the scaled values', () => {
  const r = check('data synth mean [0.485, 0.456, 0.406] std [0.229, 0.224, 0.225]\n');
  assert.equal(r.diagnostics[0]?.code, 'CMP2010');
  assert.match(r.lines[0]!, /did you mean mean \[123\.675, 116\.28, 103\.53\] std \[58\.395, 57\.12, 57\.375\]\?/);
  assert.deepEqual(check('data synth mean [0, 0, 0] std [255, 255, 255]\n').lines, []);
  assert.match(check('data synth mean [1, 2]\n').lines[0]!, /^CMP1008 .*mean expects 3 numbers/);
  assert.match(check('data synth std [1, 0, 1]\n').lines[0]!, /^CMP2003 .*std values must be above 0/);
  assert.match(check('data synth mean [1, 2, 300]\n').lines[0]!, /^CMP2003 .*mean values must be 0 to 255/);
  assert.match(check('data synth bgr 1\n').lines[0]!, /^CMP1008 .*bgr takes no value/);
  // a list may span lines, as a selector in parentheses may
  assert.deepEqual(check('data synth mean [123.675,\n  116.28,\n  103.53]\n').plan!.data!.mean, [123.675, 116.28, 103.53]);
});
