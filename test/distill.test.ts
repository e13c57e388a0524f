// Distillation (issue 14): each loss's gradient against float64 central differences through a whole training
// step (student micro-yolo, teacher another micro-yolo run in onnxruntime on the same images), teachers that
// do not fit refused before training naming the tensors, and `lithe run` distilling a pruned model: the loss
// falls, the exported model is the student's graph only, and a run stopped mid-epoch resumes to the same
// weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { zooByName } from '../src/zoo/registry.ts';
import { TrainingSession } from '../src/train/session.ts';
import { yoloFeeds, yoloHeads, yoloLoss } from '../src/train/loss/yolo-loss.ts';
import type { HeadGeometry } from '../src/train/loss/yolo-targets.ts';
import { distillPairs } from '../src/passes/distill/pairs.ts';
import { distillTerms, fed, lossById, tapsFor } from '../src/passes/distill/run.ts';
import { TeacherRun } from '../src/passes/distill/teacher.ts';
import { lossIds } from '../src/passes/distill/losses/registry.ts';
import { mulberry32 } from '../src/util/random.ts';
import { checkStep } from './support/stepcheck.ts';
import { LitheError } from '../src/errors.ts';
import { setMetadata, getMetadata } from '../src/onnx/make.ts';
import { encodeModel, loadModel } from '../src/onnx/io.ts';
import { main } from '../src/cli/main.ts';
import { createSession } from '../src/runtime/session.ts';
import { checkText } from '../src/plan/build.ts';
import { runPlan } from '../src/run/run.ts';
import { recipeIn } from './support/robust/fixture.ts';
import { PNG } from 'pngjs';
import { generateSynth } from '../src/data/synth/generate.ts';
import { loadCoco } from '../src/data/coco.ts';
import { pseudoLabelled } from '../src/passes/distill/pseudo-labels.ts';

const SIZE = 32;
const BATCH = 2;
const micro = (seed: number, classes = 2) => zooByName.get('micro-yolo')!.build({ size: SIZE, classes, seed });

// the weights each check samples: the first layer, the layer whose output the feature losses pair (layers.014)
// and a head's conv; adapters where the loss has them
const SAMPLED = ['layers.000.weight', 'layers.014.pw.weight', 'layers.013.gamma', 'layers.021.pw.weight'];
const ADAPTERS: Record<string, string> = { feat: 'distill:feat:0.weight', corr: 'distill:corr:0.weight' };
// corr on the 2x2 map only: at 32 px the other is 1x1, where a channel normalised over its one position is a
// sign, and float32 cannot follow float64 through it
const AT: Record<string, Set<string>> = { corr: new Set(['layers.021.pw.act']) };

for (const id of lossIds) {
  test(`distill ${id}: a training step's loss and weight gradients match float64 central differences`, async (t) => {
    const student = micro(1);
    const teacherModel = micro(2);
    const pairs = distillPairs(student, teacherModel, AT[id]);
    const chosen = [lossById.get(id)!];
    let heads: HeadGeometry[] = [];
    let fedPairs: ReturnType<typeof distillTerms>['fed'] = [];
    const session = await TrainingSession.create(student, {
      batch: BATCH, bn: 'frozen',
      loss: (b) => {
        heads = yoloHeads(student, SIZE, b.shape);
        const detection = yoloLoss(b, heads, SIZE, BATCH);
        const r = distillTerms(b, heads, chosen, pairs, [SIZE, SIZE], { seed: 0 });
        fedPairs = r.fed;
        return b.emit.op1('Sum', [detection, ...r.terms]);
      },
    });
    const teacher = await TeacherRun.create(teacherModel, tapsFor(chosen, pairs), 1);
    try {
      const r = mulberry32(9);
      const images = Float32Array.from({ length: BATCH * 3 * SIZE * SIZE }, () => r());
      const targets = [
        { boxes: Float32Array.of(4, 6, 24, 30, 1, 2, 30, 31), classes: Int32Array.of(1, 0) },
        { boxes: Float32Array.of(10, 8, 26, 28), classes: Int32Array.of(0) },
      ];
      const out = await teacher.run(images, [BATCH, 3, SIZE, SIZE]);
      assert.ok(fedPairs.length > 0, 'the loss reads the teacher');
      const feeds = { [session.graph.feeds[0]!.name]: images, ...yoloFeeds(heads, targets), ...Object.fromEntries(fedPairs.map((p) => [fed(p.teacher.value), out.get(p.teacher.value)!])) };
      await checkStep(t, session, feeds, { sampled: [...SAMPLED, ...(ADAPTERS[id] ? [ADAPTERS[id]!] : [])], whole: 'layers.022.bias' });
    } finally {
      await Promise.all([session.release(), teacher.release()]);
    }
  });
}

test('a teacher that does not fit is refused before training, naming the two tensors', () => {
  const student = micro(1);
  const refuse = (teacher: ReturnType<typeof micro>, message: RegExp) =>
    assert.throws(() => distillPairs(student, teacher), (e: unknown) => e instanceof LitheError && message.test(e.message), message.source);
  refuse(micro(2, 5), /teacher's head output 'layers\.015\.conv' \(30x1x1\) does not match the student's 'layers\.015\.conv' \(21x1x1\): 5 classes against 2/);
  refuse(zooByName.get('micro-yolo')!.build({ size: 64, classes: 2, seed: 2 }), /maps of another size/);
  const twoHeads = micro(2);
  const yolo = JSON.parse(getMetadata(twoHeads, 'lithe.yolo')!);
  setMetadata(twoHeads, 'lithe.yolo', JSON.stringify(yolo.slice(0, 1)));
  refuse(twoHeads, /the teacher has 1 detection heads and the student 2/);
  // `at` pairs by name: the same architecture pairs; yolov3-tiny has other names (and other heads)
  assert.deepEqual(distillPairs(student, micro(2), new Set(['layers.014.pw.act'])).features.map((f) => [f.student.value, f.teacher.value]), [['layers.014.pw.out', 'layers.014.pw.out']]);
  const tiny = zooByName.get('yolov3-tiny')!.build({ size: SIZE, classes: 2, seed: 0 });
  setMetadata(tiny, 'lithe.yolo', getMetadata(student, 'lithe.yolo')!.replaceAll('layers.015.conv', 'layers.015.out').replaceAll('layers.022.conv', 'layers.022.out'));
  assert.throws(() => distillPairs(student, tiny, new Set(['layers.014.pw.act'])), (e: unknown) => e instanceof LitheError && /the teacher has no value 'layers\.014\.pw\.out'/.test(e.message));
});

// ---------------------------------------------------------------------------------------------------------
// lithe run

const dir = mkdtempSync(join(tmpdir(), 'lithe-distill-'));
const DISTIL = 'prune backbone l1 0.5\ndistill from teacher with cls+feat+attn+reg+corr epochs 3';

async function run(name: string, stopAfter?: number, resume = false) {
  const recipe = recipeIn(dir, DISTIL, { name: `${name}.cmp` });
  const { plan } = checkText(recipe, readFileSync(recipe, 'utf8'));
  let polls = 0;
  return runPlan(plan!, { out: join(dir, name), threads: 1, resume, stopRequested: () => stopAfter !== undefined && ++polls > stopAfter });
}

test('lithe run distils a pruned model: the loss falls, and the model holds the student graph only, under its names', async () => {
  const report = await run('a');
  const step = report.steps[1]!;
  assert.equal(step.pass, 'distill');
  const losses = String(step.details!.mean_loss_per_epoch).split(', ').map(Number);
  assert.equal(losses.length, 3);
  assert.ok(losses[2]! < losses[0]!, `mean loss per epoch ${losses.join(', ')}`);
  const pruned = loadModel(join(dir, 'a', '01-prune.onnx'));
  const distilled = loadModel(join(dir, 'a', '02-distill.onnx'));
  const names = (m: typeof pruned) => m.graph!.node.map((n) => `${n.name}:${n.opType}`);
  assert.deepEqual(names(distilled), names(pruned), 'same nodes, same names: no teacher, adapter or loss nodes');
  assert.deepEqual(distilled.graph!.initializer.map((t) => t.name).sort(), pruned.graph!.initializer.map((t) => t.name).sort());
  assert.ok(!distilled.graph!.initializer.some((t) => t.name.startsWith('distill:')));
  const s = await createSession(distilled);
  await s.release();
});

test('a distillation stopped mid-epoch resumes to the weights of an uninterrupted run', async () => {
  await assert.rejects(run('b', 4), /stopped at epoch 2, step 1/);
  const resumed = await run('b', undefined, true);
  assert.equal(resumed.steps.length, 2);
  assert.deepEqual(readFileSync(join(dir, 'b', '02-distill.onnx')), readFileSync(join(dir, 'a', '02-distill.onnx')));
  assert.equal(resumed.steps[1]!.details!.mean_loss_per_epoch, (await lastReport('a')).steps[1]!.details!.mean_loss_per_epoch);
});

const lastReport = async (name: string) => JSON.parse(readFileSync(join(dir, name, 'report.json'), 'utf8')) as Awaited<ReturnType<typeof run>>;

// ---------------------------------------------------------------------------------------------------------
// unlabelled images: the teacher's detections as labels

const photos = (() => {
  let p: string | undefined;
  return () => p ??= (generateSynth({ out: join(dir, 'photos'), seed: 3, train: 16, val: 16, size: 320 }), join(dir, 'photos'));
})();
const BASELINE = resolve('models/shapes-yolo.onnx');

test('pseudo-labels: the baseline teacher\'s confident detections on unlabelled images find most real objects, and few false ones', async () => {
  const val = loadCoco(photos(), { split: 'val' });
  const unlabelled = { ...val, gt: { ...val.gt, annotations: [], categories: [] }, categories: [] };
  const labelled = await pseudoLabelled(loadModel(BASELINE), unlabelled, { threads: 1 });
  assert.deepEqual(labelled.categories, [1, 2, 3, 4, 5, 6, 7, 8, 9], 'the teacher\'s nine classes');
  // scored as detections against the real boxes: recall and precision at IoU 0.5 (0.815 and 0.830 on 500 images)
  const found = labelled.gt.annotations.map((a) => ({ image_id: a.image_id, category_id: a.category_id, bbox: a.bbox, score: 1 }));
  const matched = (a: { image_id: number; category_id: number; bbox: number[] }, pool: typeof found) => pool.some((b) => b.image_id === a.image_id && b.category_id === a.category_id && iou(a.bbox, b.bbox) >= 0.5);
  const recall = val.gt.annotations.filter((g) => matched(g, found)).length / val.gt.annotations.length;
  const precision = found.filter((f) => matched(f, val.gt.annotations.map((g) => ({ ...g, score: 1 })))).length / found.length;
  assert.ok(recall > 0.7 && precision > 0.7, `recall ${recall}, precision ${precision}`);
});

test('lithe run distils on unlabelled images with the teacher\'s pseudo-labels; a teacher that finds nothing is refused by name', async () => {
  const recipe = recipeIn(dir, 'prune backbone l1 0.5\ndistill from teacher with cls+feat epochs 1', { name: 'photos.cmp', model: BASELINE, data: `data images "${join(photos(), 'train')}"` });
  const { plan, diagnostics } = checkText(recipe, readFileSync(recipe, 'utf8'));
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  const report = await runPlan(plan!, { out: join(dir, 'run-photos'), threads: 2 });
  const step = report.steps[1]!;
  assert.match(String(step.details!.pseudo_labels), /^[1-9]\d* boxes on 16 images, score ≥ 0\.3$/);
  assert.equal(step.measures.map, undefined, 'no labels, no mAP');
  // photos in which the teacher finds nothing (blank grey frames): the run stops before training, saying why
  const blank = join(dir, 'blank');
  mkdirSync(blank);
  for (const k of [1, 2]) {
    const png = new PNG({ width: 320, height: 320 });
    png.data.fill(128);
    writeFileSync(join(blank, `${k}.png`), PNG.sync.write(png));
  }
  const blind = recipeIn(dir, 'distill from teacher with cls epochs 1', { name: 'blind.cmp', model: BASELINE, data: `data images "${blank}"` });
  const p2 = checkText(blind, readFileSync(blind, 'utf8')).plan!;
  await assert.rejects(runPlan(p2, { out: join(dir, 'blind'), threads: 1 }), (e: unknown) => e instanceof LitheError && /the teacher finds no object scoring 0\.3 or more in 2 images of .*blank: there is nothing to distil/.test(e.message));
});

function iou(a: number[], b: number[]): number {
  const w = Math.min(a[0]! + a[2]!, b[0]! + b[2]!) - Math.max(a[0]!, b[0]!);
  const h = Math.min(a[1]! + a[3]!, b[1]! + b[3]!) - Math.max(a[1]!, b[1]!);
  const i = Math.max(0, w) * Math.max(0, h);
  return i / (a[2]! * a[3]! + b[2]! * b[3]! - i);
}

test('lithe explain shows what each distill step pairs (each head\'s input, or `at`), and why a teacher cannot pair', async () => {
  const explainOf = async (body: string, teacher?: string) => {
    const file = recipeIn(dir, body, { name: 'explain.cmp' });
    if (teacher) writeFileSync(file, readFileSync(file, 'utf8').replace('target x86\n', `target x86\nteacher "${teacher}" as big\n`));
    let out = '';
    const code = await main(['explain', file], { out: (t) => { out += t; }, err: () => {} });
    assert.equal(code, 0);
    return out;
  };
  const plain = await explainOf('prune backbone l1 0.5\ndistill from teacher with feat+cls');
  assert.match(plain, /^ {7}pairs {3}student ↔ teacher, as the input model names them \(each head's input\):\n {9}'layers\.014\.pw\.out' \d+x2x2 ↔ 'layers\.014\.pw\.out' \d+x2x2\n {9}'layers\.021\.pw\.out' \d+x4x4 ↔ 'layers\.021\.pw\.out' \d+x4x4\n {9}head 'layers\.015\.conv' 42x2x2/m);
  const at = await explainOf('distill from teacher with attn at "layers.013.*"');
  assert.match(at, /^ {7}pairs {3}student ↔ teacher, as the input model names them:\n {9}'layers\.013\.[\w.]+' /m);
  // a selector list, as `keep` takes
  const list = await explainOf('distill from teacher with attn at "layers.014.pw.act", "layers.021.pw.act" epochs 1');
  assert.match(list, /^ {7}at {6}\("layers\.014\.pw\.act", "layers\.021\.pw\.act"\)\n.*\n {7}pairs {3}.*:\n {9}'layers\.014\.pw\.out' .*\n {9}'layers\.021\.pw\.out' /m);
  const other = join(dir, 'other.onnx');
  writeFileSync(other, encodeModel(zooByName.get('micro-yolo')!.build({ size: 64, classes: 3, seed: 0 })));
  assert.match(await explainOf('distill from big with cls', other), /^ {7}pairs {3}none: the teacher's head output '[\w.]+' \([\dx]+\) does not match the student's '[\w.]+' \([\dx]+\): 3 classes against 9$/m);
});
