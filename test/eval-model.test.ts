// Evaluating a model on a data set: the COCO loader's checks, and the whole pipeline on a zoo model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSynth } from '../src/data/synth/generate.ts';
import { loadCoco, DataError } from '../src/data/coco.ts';
import { evaluateModel } from '../src/metrics/evaluate-model.ts';
import { zooByName } from '../src/zoo/registry.ts';
import { RuntimeError } from '../src/runtime/session.ts';

const dir = mkdtempSync(join(tmpdir(), 'lithe-evalmodel-'));
const synth = join(dir, 'synth');
generateSynth({ out: synth, seed: 3, train: 0, val: 6, size: 128 });

test('the COCO loader names the file and the problem: missing image, box outside, unknown class', () => {
  const ok = loadCoco(synth);
  assert.equal(ok.gt.images.length, 6);
  assert.equal(ok.categories.length, 9);
  const gt = JSON.parse(readFileSync(join(synth, 'val.json'), 'utf8'));
  const bad = (name: string, change: (g: typeof gt) => void, problem: RegExp) => {
    const g = structuredClone(gt);
    change(g);
    const file = join(synth, name);
    writeFileSync(file, JSON.stringify(g));
    assert.throws(() => loadCoco(file), (e: unknown) => e instanceof DataError && e.message.startsWith(file) && problem.test(e.message), name);
    rmSync(file);
  };
  bad('missing.json', (g) => { g.images[0].file_name = 'val/nope.png'; }, /'val\/nope\.png' is missing/);
  bad('outside.json', (g) => { g.annotations[0].bbox = [120, 120, 50, 50]; }, /lies outside image/);
  bad('class.json', (g) => { g.annotations[0].category_id = 99; }, /unknown class 99/);
  bad('strings.json', (g) => { g.annotations[0].bbox = ['10', '10', '5', '5']; }, /annotations\[0\] \(id \d+\): bbox\[0\] is "10", not a number/);
  bad('short.json', (g) => { g.annotations[0].bbox = [10, 10]; }, /bbox has 2 numbers; a box is \[x, y, w, h\]/);
  bad('empty-box.json', (g) => { g.annotations[0].bbox = [10, 10, 0, 5]; }, /box \[10, 10, 0, 5\] is empty/);
  bad('dup.json', (g) => { g.annotations[1].id = g.annotations[0].id; }, /annotations\[1\] has id \d+, as annotations\[0\] does: ids must be unique/);
  bad('size.json', (g) => { g.images[0].width = 10; g.images[0].height = 10; g.annotations = []; }, /image 1 'val\/000000\.png' is 128x128, but the file says 10x10/);
  bad('null.json', (g) => { g.images = [null]; }, /images\[0\] is null, not an object/);
  assert.throws(() => loadCoco(join(dir, 'none.json')), /no such file/);
});

test('a zoo model evaluates end to end: 12 numbers in range; a class-count mismatch is refused', async () => {
  const data = loadCoco(synth);
  const r = await evaluateModel(zooByName.get('yolov3-tiny')!.build({ size: 128, classes: 9 }), data, { batch: 4 });
  assert.equal(r.stats.length, 12);
  assert.ok(r.stats.every((x) => x === -1 || (x >= 0 && x <= 1)));
  assert.equal(r.images, 6);
  await assert.rejects(evaluateModel(zooByName.get('yolov3-tiny')!.build({ size: 128 }), data), (e: unknown) => e instanceof RuntimeError && /80 classes; the data set has 9/.test(e.message));
  const ssd = await evaluateModel(zooByName.get('ssd-lite')!.build({ size: 128, classes: 9 }), data, { limit: 2 });
  assert.equal(ssd.images, 2);
  const bare = { ...data, gt: { ...data.gt, annotations: [] } };
  await assert.rejects(evaluateModel(zooByName.get('yolov3-tiny')!.build({ size: 128, classes: 9 }), bare), (e: unknown) => e instanceof DataError && /val\.json: no annotations: mAP is undefined/.test(e.message));
});
