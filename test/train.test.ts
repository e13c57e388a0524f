// The training loop end to end on a tiny synthetic set: the loss falls, the exported model is the inference
// graph with new weights, a resumed run equals an uninterrupted one, checkpoints are whole or refused, and
// the CLI refuses bad flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSynth } from '../src/data/synth/generate.ts';
import { loadCoco } from '../src/data/coco.ts';
import { zooByName } from '../src/zoo/registry.ts';
import { train, type TrainOptions } from '../src/train/loop.ts';
import { readCheckpoint, writeCheckpoint } from '../src/train/checkpoint.ts';
import { TrainingError } from '../src/train/graph.ts';
import { NO_AUGMENT } from '../src/data/augment.ts';
import { Graph } from '../src/onnx/graph.ts';
import { main } from '../src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'lithe-train-'));
generateSynth({ out: join(dir, 'synth'), seed: 2, train: 16, val: 4, size: 64 });
const data = loadCoco(join(dir, 'synth'), { split: 'train' });
const model = () => zooByName.get('micro-yolo')!.build({ size: 64, classes: 9, seed: 3 });
const opts = (out: string, epochs: number, extra: Partial<TrainOptions> = {}): TrainOptions => ({ epochs, size: 64, batch: 4, out: join(dir, out), threads: 1, warmupEpochs: 0, ...extra });
const weights = (m: ReturnType<typeof model>) => [...Graph.fromModel(m).initializers.values()].map((t) => Buffer.from(t.rawData).toString('base64')).join();

test('training lowers the loss and exports the inference graph with new weights', async () => {
  const losses: number[] = [];
  const before = model();
  const after = await train(before, data, opts('a', 6, { augment: NO_AUGMENT, lr: 0.01 }), { progress: (p) => losses.push(p.loss) });
  const first = losses.slice(0, 4).reduce((a, b) => a + b) / 4;
  const last = losses.slice(-4).reduce((a, b) => a + b) / 4;
  assert.ok(last < first, `loss ${first} → ${last}`);
  assert.equal(after.graph!.node.length, before.graph!.node.length);
  assert.deepEqual(after.graph!.input.map((i) => i.name), before.graph!.input.map((i) => i.name));
  assert.ok(after.graph!.node.every((n) => !n.name.startsWith('grad:') && !n.name.startsWith('loss:')));
  assert.notEqual(weights(after), weights(before));
});

test('a resumed run ends with exactly the weights of an uninterrupted one', async () => {
  const whole = await train(model(), data, opts('whole', 2));
  let steps = 0;
  await assert.rejects(train(model(), data, opts('split', 2), { stopRequested: () => ++steps === 5 }), TrainingError);
  const resumed = await train(model(), data, opts('split', 2, { resume: true }));
  assert.equal(weights(resumed), weights(whole));
});

test('a stop request checkpoints and says how to go on', async () => {
  await assert.rejects(train(model(), data, opts('stop', 2), { stopRequested: () => true }), (e: unknown) => e instanceof TrainingError && /--resume/.test((e as Error).message));
  assert.deepEqual(readCheckpoint<{ epoch: number; step: number }>(join(dir, 'stop', 'checkpoint.bin')).header, { ...readCheckpoint<object>(join(dir, 'stop', 'checkpoint.bin')).header, epoch: 0, step: 1 });
});

test('checkpoints round-trip; a truncated or foreign file is refused, naming it', () => {
  const file = join(dir, 'ck.bin');
  writeCheckpoint(file, { epoch: 3 }, new Map([['a', Float32Array.of(1, 2, 3)], ['b', Float32Array.of(4)]]));
  const back = readCheckpoint<{ epoch: number }>(file);
  assert.equal(back.header.epoch, 3);
  assert.deepEqual([...back.tensors.get('a')!], [1, 2, 3]);
  writeFileSync(file, readFileSync(file).subarray(0, 40));
  assert.throws(() => readCheckpoint(file), (e: unknown) => e instanceof TrainingError && (e as Error).message.startsWith(file));
  writeFileSync(file, 'hello world, not a checkpoint');
  assert.throws(() => readCheckpoint(file), /not a lithe checkpoint/);
});

test('lithe train refuses missing flags and unknown optimizers with exit 2', async () => {
  const io = { out: () => {}, err: () => {} };
  assert.equal(await main(['train', '--model', 'zoo:micro-yolo', '--data', join(dir, 'synth')], io), 2);
  assert.equal(await main(['train', '--model', 'zoo:micro-yolo', '--data', join(dir, 'synth'), '--epochs', '1', '--out', join(dir, 'x'), '--optimizer', 'lion'], io), 2);
});

test('lithe train, as a process, exits when the job is done, with the model and its metrics written', () => {
  const out = join(dir, 'cli');
  const args = ['bin/lithe.js', 'train', '--model', 'zoo:micro-yolo', '--data', join(dir, 'synth'), '--epochs', '1', '--size', '64', '--batch', '4', '--threads', '1', '--workers', '1', '--out', out];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.signal, null, `killed after 120 s: the process did not exit (${r.stderr.slice(-300)})`);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(join(out, 'model.onnx')) && existsSync(join(out, 'metrics.json')));
});
