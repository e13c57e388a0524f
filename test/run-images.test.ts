// lithe run without labels (issue 13, item 5): a folder of unlabelled PNGs serves calibration and the entropy
// criterion; the report leaves mAP out; steps that need labels are refused before the run starts; the
// preprocessing the recipe declares is applied to what the model is fed and recorded in what it exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './support/cli.ts';
import { checkText } from '../src/plan/build.ts';
import { runPlan } from '../src/run/run.ts';
import { loadModel, saveModel } from '../src/onnx/io.ts';
import { getMetadata, setMetadata } from '../src/onnx/make.ts';
import { zooByName } from '../src/zoo/registry.ts';
import { encodePng } from '../src/data/image.ts';
import { listImages, loadImageFolder } from '../src/data/images.ts';
import { applyPreprocess, preprocessOf } from '../src/data/preprocess.ts';
import { DetectionLoader } from '../src/data/batches.ts';
import type { Report } from '../src/run/report.ts';

const dir = mkdtempSync(join(tmpdir(), 'lithe-images-'));
process.chdir(dir);

/** A picture with some structure (gradients and a block), so activations vary from image to image. */
function picture(w: number, h: number, k: number): Uint8Array {
  const px = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = 3 * (y * w + x);
      const block = x > w / 3 && x < (2 * w) / 3 && y > h / 4 && y < (3 * h) / 4;
      px[i] = (x * 255) / w; px[i + 1] = (y * 7 * (k + 1)) % 256; px[i + 2] = block ? 40 * k : 200;
    }
  }
  return px;
}

// twelve photos of several sizes, some in a subfolder, among files that are no images
mkdirSync(join(dir, 'photos', 'more'), { recursive: true });
for (let k = 0; k < 12; k++) {
  const [w, h] = [48 + 8 * (k % 3), 40 + 4 * (k % 4)];
  writeFileSync(join(dir, 'photos', k < 8 ? '' : 'more', `p${String(k).padStart(2, '0')}.png`), encodePng({ width: w, height: h, data: picture(w, h, k) }));
}
writeFileSync(join(dir, 'photos', 'README.txt'), 'not an image');
writeFileSync(join(dir, 'photos', '.hidden.png'), 'skipped');

const micro = zooByName.get('micro-yolo')!.build({ size: 64, classes: 9, seed: 0 });
setMetadata(micro, 'lithe.profile', 'micro-yolo');
saveModel(micro, join(dir, 'micro.onnx'));

function recipe(name: string, body: string, data = 'data images "photos"'): string {
  const file = join(dir, `${name}.cmp`);
  writeFileSync(file, `model "micro.onnx"\n${data}\ntarget x86\n${body}\n`);
  return file;
}

const report = (out: string) => JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;

test('an image folder: images in subfolders too, sorted, no boxes; hidden files and other files left out', () => {
  assert.deepEqual(listImages(join(dir, 'photos')).map((p) => p.slice(dir.length + 1)), [
    ...Array.from({ length: 8 }, (_, k) => `photos/p0${k}.png`), 'photos/more/p08.png', 'photos/more/p09.png', 'photos/more/p10.png', 'photos/more/p11.png',
  ].sort());
  const set = loadImageFolder(join(dir, 'photos'));
  assert.equal(set.gt.images.length, 12);
  assert.deepEqual([set.gt.annotations.length, set.categories.length], [0, 0]);
  assert.equal(set.gt.images[0]!.file_name, join('more', 'p08.png'), 'sorted by path, folder by folder');
  const p01 = set.gt.images.find((i) => i.file_name === 'p01.png')!;
  assert.deepEqual([p01.width, p01.height], [56, 44], 'sizes from the headers');
  mkdirSync(join(dir, 'empty'));
  assert.throws(() => loadImageFolder(join(dir, 'empty')), /no PNG or JPEG images/);
});

test('quantize int8 ptq calibrates on the images; the report has no mAP; the export says what input it takes', async () => {
  const out = join(dir, 'run-q');
  const file = recipe('q', 'quantize int8 ptq calib 8\nexport onnx "exported.onnx"', 'data images "photos" mean [10, 20, 30] std [50, 60, 70] bgr');
  const r = await cli('run', file, '--out', out, '--threads', '1');
  assert.equal(r.code, 0, r.err);
  const rep = report(out);
  assert.equal(rep.before.map, undefined);
  for (const s of rep.steps) assert.equal(s.measures.map, undefined);
  assert.ok(rep.steps[0]!.measures.bytes < rep.before.bytes / 2.5, 'int8 weights');
  assert.equal((rep.steps[0]!.details as { calibration_images: number }).calibration_images, 8);
  assert.match(r.out, /\| input \| .* \| — \| — \|/, 'the table shows — for mAP');
  assert.match(readFileSync(join(out, 'run.log'), 'utf8'), /mAP is not measured: data images has no labels/);
  const exported = loadModel(join(dir, 'exported.onnx'));
  assert.deepEqual(JSON.parse(getMetadata(exported, 'lithe.preprocess')!), {
    mean: [10, 20, 30], std: [50, 60, 70], channels: 'bgr', layout: 'nchw', resize: 'letterbox', pad: 114, formula: 'input = (pixel - mean) / std, pixel in 0-255',
  });
});

test('prune backbone entropy 0.3 scores channels on the images and removes them', async () => {
  const out = join(dir, 'run-p');
  const r = await cli('run', recipe('p', 'prune backbone entropy 0.3\neval'), '--out', out, '--threads', '1');
  assert.equal(r.code, 0, r.err);
  const rep = report(out);
  assert.ok(rep.steps[0]!.measures.params < rep.before.params * 0.9, `${rep.steps[0]!.measures.params} of ${rep.before.params}`);
  assert.deepEqual(rep.steps.map((s) => s.measures.map), [undefined, undefined]);
  assert.ok(rep.steps[1]!.measures.latency_ms!['1']! > 0, 'eval measured latency');
  // without mean/std, the models still record what they take: lithe's own input, 0-1 RGB
  assert.equal(JSON.parse(getMetadata(loadModel(join(out, '01-prune.onnx')), 'lithe.preprocess')!).channels, 'rgb');
});

test('finetune on unlabelled images is refused before the run starts, with the reason', async () => {
  const out = join(dir, 'run-f');
  const r = await cli('run', recipe('f', 'quantize int8 ptq calib 8\nfinetune epochs 1'), '--out', out);
  assert.equal(r.code, 1);
  assert.match(r.err, /f\.cmp:5:1: error CMP4011: finetune trains on labelled images, but the recipe's data \(images\) has no labels/);
  assert.ok(!existsSync(out), 'nothing written');
});

test('a plan that bypasses the checker is stopped by the run itself before anything is measured', async () => {
  const { plan } = checkText(join(dir, 'x.cmp'), 'model "micro.onnx"\ndata synth images 16\nhead none\nquantize int8 ptq calib 8\n');
  plan!.steps.push({ index: 2, pass: 'eval', params: { metrics: ['map'] }, defaults: {}, range: plan!.steps[0]!.range });
  const out = join(dir, 'run-x');
  await assert.rejects(runPlan(plan!, { out, threads: 1, dataDir: join(dir, 'data') }), /mAP cannot be measured \(the recipe says head none\).*\n  step 2 \(eval, line 4\): eval map measures mAP/s);
  assert.ok(!existsSync(join(out, 'state.json')));
});

test('a labelled set whose val split has no annotations measures no mAP, as unlabelled images', async () => {
  // a COCO train split with boxes and a val split without: the same photos
  const images = loadImageFolder(join(dir, 'photos')).gt.images;
  const category = [{ id: 1, name: 'thing' }];
  const box = { category_id: 1, bbox: [4, 4, 16, 12], area: 192, iscrowd: 0 };
  writeFileSync(join(dir, 'photos', 'train.json'), JSON.stringify({ images, categories: category, annotations: images.map((img, i) => ({ id: i + 1, image_id: img.id, ...box })) }));
  writeFileSync(join(dir, 'photos', 'val.json'), JSON.stringify({ images, categories: category, annotations: [] }));
  const out = join(dir, 'run-v');
  const r = await cli('run', recipe('v', 'quantize int8 ptq calib 8', 'data coco "photos/train.json" val "photos/val.json"'), '--out', out, '--threads', '1');
  assert.equal(r.code, 0, r.err);
  assert.equal(report(out).before.map, undefined);
  assert.match(readFileSync(join(out, 'run.log'), 'utf8'), /mAP is not measured: the val split \(.*val\.json\) has no annotations/);
  // a step that needs mAP stops such a run before it starts (the checker cannot know: it reads no annotations)
  const stopped = await cli('run', recipe('w', 'eval map', 'data coco "photos/train.json" val "photos/val.json"'), '--out', join(dir, 'run-w'));
  assert.equal(stopped.code, 1);
  assert.match(stopped.err, /mAP cannot be measured \(the val split .* has no annotations\)/);
  assert.ok(!existsSync(join(dir, 'run-w', 'state.json')));
});

test('preprocessing: (pixel - mean) / std per channel, B and R swapped for bgr, in every batch a loader makes', () => {
  // one 1x2 image, RGB in 0-1: pixels (255, 0, 51) and (0, 255, 102)
  const input = Float32Array.from([1, 0, 0, 1, 0.2, 0.4]);
  applyPreprocess(input, 1, { mean: [10, 20, 30], std: [2, 4, 5], bgr: true });
  // bgr: channel 0 is blue (51, 102), channel 2 red (255, 0)
  assert.deepEqual([...input].map((v) => Number(v.toFixed(4))), [(51 - 10) / 2, (102 - 10) / 2, -20 / 4, (255 - 20) / 4, (255 - 30) / 5, -30 / 5]);
  const same = Float32Array.from([0.5, 0.25]);
  assert.deepEqual([...applyPreprocess(same, 1 / 3, { mean: [0, 0, 0], std: [255, 255, 255] })], [0.5, 0.25], 'the default is no change');
  assert.deepEqual(preprocessOf({ format: 'images', path: 'x', calib: 3, mean: [1, 2, 3], nhwc: true } as never), { mean: [1, 2, 3], nhwc: true });
  const set = loadImageFolder(join(dir, 'photos'));
  const plain = new DetectionLoader(set, { size: 32, batch: 2, shuffle: false }).batch(0, 0).input;
  const fed = new DetectionLoader(set, { size: 32, batch: 2, shuffle: false, preprocess: { mean: [100, 100, 100], std: [10, 10, 10] } }).batch(0, 0).input;
  assert.ok(plain.every((v, i) => Math.abs(fed[i]! - (v * 255 - 100) / 10) < 1e-3));
});
