// Quantization-aware training (issue 15): the fake quantization's gradients (clipped straight-through
// estimator, LSQ step sizes) against float64 central differences of the function they are the gradient of,
// the training form computing what the Q/DQ model computes (reference ops and onnxruntime's int8 kernels),
// and `lithe run` training a pruned (or distilled) model with simulated quantization: the exported model is
// plain Q/DQ with the PTQ model's structure, runs in onnxruntime, its mAP agrees with the QAT graph's (on the
// trained baseline too), and a run stopped mid-epoch resumes to the same bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ModelProto } from 'onnx-buf';
import { loadModel } from '../src/onnx/io.ts';
import { createSession } from '../src/runtime/session.ts';
import { checkText } from '../src/plan/build.ts';
import { runPlan } from '../src/run/run.ts';
import { recipeIn } from './support/robust/fixture.ts';
import { generateSynth } from '../src/data/synth/generate.ts';
import { create } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { DataType, graph, model, node, tensor, valueInfo } from '../src/onnx/make.ts';
import { encodeModel } from '../src/onnx/io.ts';
import { zooByName } from '../src/zoo/registry.ts';
import { mulberry32 } from '../src/util/random.ts';
import { TrainingSession } from '../src/train/session.ts';
import { calibrateInt8, encodeInt8, type Int8Options } from '../src/passes/quantize/int8.ts';
import { encodeQat, fakeQuantModel, qatPolicy } from '../src/passes/quantize/qat.ts';
import { QAT_MAP_TOLERANCE } from '../src/passes/quantize/qat-step.ts';
import { runAll64, Reference64 } from './support/gradcheck.ts';
import { relativeError } from './support/ref64/fd.ts';
import { feeds64 } from './support/stepcheck.ts';

// ---------------------------------------------------------------------------------------------------------
// Gradients: the clipped straight-through estimator and LSQ, checked against float64 central differences

const rng = mulberry32(15);
const uniform = (n: number, lo: number, hi: number) => Float32Array.from({ length: n }, () => lo + (hi - lo) * rng());
const numel = (d: readonly number[]) => d.reduce((a, b) => a * b, 1);

/** x → Conv 3x3 → Sigmoid → Conv 1x1 → y: three quantized activations (x, the conv's output, the Sigmoid's)
 *  and two quantized weights, per output channel. Sigmoid, not LeakyRelu: a quantized value is often exactly
 *  0, LeakyRelu's kink, where central differences average two slopes that no gradient rule can match. */
function tinyNet(): ModelProto {
  const inits = [
    tensor('w1', [4, 3, 3, 3], uniform(108, -0.5, 0.5)), tensor('b1', [4], uniform(4, -0.2, 0.2)),
    tensor('w2', [2, 4, 1, 1], uniform(8, -0.8, 0.8)), tensor('b2', [2], uniform(2, -0.2, 0.2)),
  ];
  const nodes = [
    node('Conv', ['x', 'w1', 'b1'], ['c1'], { pads: [1, 1, 1, 1] }, 'conv1'),
    node('Sigmoid', ['c1'], ['a1'], {}, 'act1'),
    node('Conv', ['a1', 'w2', 'b2'], ['y'], {}, 'conv2'),
  ];
  return model(graph('tiny', nodes, [valueInfo('x', DataType.FLOAT, ['N', 3, 6, 6])], [valueInfo('y', DataType.FLOAT, ['N', 2, 6, 6])], inits), { opset: 13 });
}

/**
 * The function the fake quantization's gradient is the exact derivative of, at the current point: each Round
 * replaced by Add(v, round(v0) − v0), its offset frozen where the float64 run found it. Its forward equals the
 * quantized graph's there; its derivative is the identity through Round (the STE), Clip's mask, and through
 * Div and Mul LSQ's step-size gradient. Central differences of it check all three.
 */
function roundFrozen(m: ModelProto, values: ReadonlyMap<string, { dims: number[]; data: Float64Array }>): ModelProto {
  const out = create(ModelProtoSchema, m);
  const g = out.graph!;
  g.node = g.node.map((n) => {
    if (n.opType !== 'Round') return n;
    const v = values.get(n.input[0]!)!;
    const r = values.get(n.output[0]!)!;
    const c = `${n.output[0]}:offset`;
    g.initializer.push(tensor(c, v.dims, Float32Array.from(v.data, (x, i) => r.data[i]! - x)));
    return node('Add', [n.input[0]!, c], [n.output[0]!], {}, `${n.name}:frozen`);
  });
  return out;
}

/** The smallest distance of any Round input to a rounding step (k + 0.5), and of any Clip input to its bounds. */
function margins(m: ModelProto, values: ReadonlyMap<string, { data: Float64Array }>): { round: number; clip: number } {
  let round = Infinity, clip = Infinity;
  for (const n of m.graph!.node) {
    const v = values.get(n.input[0]!)?.data;
    if (!v) continue;
    if (n.opType === 'Round') for (const x of v) round = Math.min(round, Math.abs(Math.abs(x - Math.floor(x)) - 0.5));
    if (n.opType === 'Clip') {
      const [lo, hi] = [values.get(n.input[1]!)!.data[0]!, values.get(n.input[2]!)!.data[0]!];
      for (const x of v) clip = Math.min(clip, Math.abs(x - lo), Math.abs(x - hi));
    }
  }
  return { round, clip };
}

test('fake quantization trains by the clipped STE and LSQ: every weight, bias and step size against float64 central differences', async (t) => {
  const net = tinyNet();
  const calib = uniform(2 * 3 * 36, -1, 1);
  const c = await calibrateInt8(net, [calib], { method: 'minmax', runtime: 'tensorrt', threads: 1 });
  const { model: fake, fq } = fakeQuantModel(c);
  const policy = qatPolicy(fq, true);
  const yDims = [2, 2, 6, 6];
  const r = uniform(numel(yDims), -1, 1);
  const session = await TrainingSession.create(fake, {
    batch: 2, threads: 1, learned: policy.learned, frozen: policy.frozen,
    loss: (b) => b.emit.op1('ReduceSum', [b.emit.op1('Mul', [b.outputs[0]!, b.emit.floats(r, yDims)])], { keepdims: 0 }),
  });
  try {
    const sizes = new Set(steps(fq));
    assert.deepEqual(session.graph.params.map((p) => p.name).sort(), ['b1', 'b2', 'w1', 'w2', ...sizes].sort(), 'weights, biases and every step size train');
    // each channel's largest weight sits on its range's end (s = max|w| / 127): all weights moved off it, some
    // grown past it; and inputs twice the calibrated range: weights and activations both clip somewhere
    for (const w of ['w1', 'w2']) session.values.get(w)!.forEach((v, i, a) => { a[i] = v * (w === 'w1' && i % 5 === 0 ? 1.3 : 0.995); });
    const w1 = session.values.get('w1')!;
    // away from rounding steps (where float32 and float64 could round apart) and clipping bounds (kinks): the
    // first of a few random inputs that is (about 4 in 5 are)
    const away = (m: { round: number; clip: number }) => m.round > 1e-4 && m.clip > 1e-3;
    let feeds: Record<string, Float32Array>, fed: ReturnType<typeof feeds64>, base: Reference64, m: ReturnType<typeof margins>;
    let tries = 0;
    do {
      feeds = { x: uniform(2 * 3 * 36, -2, 2) };
      fed = feeds64(session, feeds);
      base = new Reference64(session.graph.model, fed, session.graph.loss);
      m = margins(session.graph.model, base.values);
    } while (!away(m) && ++tries < 20);
    t.diagnostic(`distance to the nearest rounding step ${m.round.toExponential(2)}, to a clipping bound ${m.clip.toExponential(2)} (input ${tries + 1})`);
    assert.ok(away(m), 'the point is away from rounding steps and clipping bounds');
    const surrogate = new Reference64(roundFrozen(session.graph.model, base.values), fed, session.graph.loss);
    const all64 = runAll64(session.graph.model, fed);
    const loss = await session.step(feeds);
    assert.ok(Math.abs(loss - base.value) < 1e-5 * Math.abs(base.value), `loss ${loss}, float64 ${base.value}`);
    assert.ok(Math.abs(surrogate.value - base.value) < 1e-6 * Math.abs(base.value), 'the surrogate computes the quantized graph\'s loss');
    for (const p of session.graph.params) {
      const g = session.grads.get(p.name)!;
      const idx = [...g.keys()];
      // a step size moves every value it divides: a small step keeps x/s off the clipping bounds
      const fd = surrogate.gradient(p.name, idx, sizes.has(p.name) ? 1e-9 : 1e-6);
      const ort32 = relativeError(g, fd);
      const back64 = relativeError(all64.get(p.grad)!.data, fd);
      t.diagnostic(`${p.name} [${idx.length}]: onnxruntime ${ort32.toExponential(2)}, backward in float64 ${back64.toExponential(2)}`);
      assert.ok(fd.some((v) => v !== 0), `${p.name}: no element affects the loss`);
      assert.ok(ort32 < 1e-3 && back64 < 1e-4, `${p.name}: relative error ${ort32} (onnxruntime), ${back64} (float64)`);
    }
    // the clipped STE: a weight beyond its channel's range gets no gradient at all
    const s1 = session.values.get(fq.weights.get('w1')!)!;
    const clipped = [...w1.keys()].filter((i) => Math.abs(w1[i]! / s1[Math.floor(i / 27)]!) > 127.5);
    assert.ok(clipped.length > 0);
    assert.deepEqual(clipped.map((i) => session.grads.get('w1')![i]), clipped.map(() => 0));
  } finally {
    await session.release();
  }
  // LSQ's gradient scale: 1/√(N·qmax), N the values one step size quantizes (27 per channel of w1)
  assert.equal(policy.gradScale!(fq.weights.get('w1')!), 1 / Math.sqrt(27 * 127));
  assert.equal(policy.gradScale!('w1'), 1);
  assert.equal(policy.decays!(fq.weights.get('w1')!), false);
  // fixed scales (the default): every step size frozen
  assert.ok(steps(fq).every((n) => qatPolicy(fq, false).frozen!(n)));
});

const steps = (fq: ReturnType<typeof fakeQuantModel>['fq']) => [...fq.activations.values(), ...fq.weights.values()];

// ---------------------------------------------------------------------------------------------------------
// The training form computes what the Q/DQ model computes

const micro = () => zooByName.get('micro-yolo')!.build({ size: 32, classes: 2, seed: 3 });

/** `disabled`: Q/DQ run as the reference ops; `all`: onnxruntime fuses them into its int8 kernels. */
async function outputs(m: ModelProto, x: Float32Array, optimization: 'disabled' | 'all' = 'disabled'): Promise<Float32Array[]> {
  const s = await createSession(m, { optimization });
  try {
    const out = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', x, [2, 3, 32, 32]) });
    return s.outputNames.map((o) => out[o]!.data as Float32Array);
  } finally {
    await s.release();
  }
}

const ENCODINGS = [
  ['tensorrt (int8, 8-bit weights)', { runtime: 'tensorrt' }],
  ['tensorrt, per-tensor weights', { runtime: 'tensorrt', weights: 'per-tensor' }],
  ['onnxruntime (uint8, 7-bit weights)', { runtime: 'onnxruntime', reduceRange: true }],
] as const;

for (const [what, opts] of ENCODINGS) {
  test(`the training form computes the Q/DQ model's outputs, and untrained it encodes to the PTQ model byte for byte: ${what}`, async (t) => {
    const x = uniform(2 * 3 * 32 * 32, 0, 1);
    const c = await calibrateInt8(micro(), [x], { method: 'percentile', threads: 1, ...opts } as Int8Options);
    const { model: fake, fq } = fakeQuantModel(c);
    const ptq = encodeInt8(c).model;
    const [a, b] = [await outputs(fake, x), await outputs(ptq, x)];
    const float = await outputs(c.folded, x);
    a.forEach((y, k) => {
      const gap = relativeError(y, b[k]!);
      const quantization = relativeError(float[k]!, b[k]!);
      assert.ok(gap < 1e-4 && quantization > 100 * gap, `output ${k}: fake vs Q/DQ ${gap}, float vs Q/DQ ${quantization}`);
    });
    // onnxruntime's int8 kernels (int32 bias, fixed-point requantization) stay far closer to the simulation
    // than the float model is: what qat trains against is what the deployed model computes
    const fused = await outputs(ptq, x, 'all');
    a.forEach((y, k) => {
      const [gap, quantization] = [relativeError(y, fused[k]!), relativeError(float[k]!, fused[k]!)];
      t.diagnostic(`output ${k}: fake vs int8 kernels ${gap.toExponential(2)}, float vs int8 kernels ${quantization.toExponential(2)}`);
      assert.ok(gap < quantization / 3, `output ${k}: fake vs int8 kernels ${gap}, float vs int8 kernels ${quantization}`);
    });
    assert.ok(!fake.graph!.node.some((n) => n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear'));
    const graphBytes = (m: ModelProto) => encodeModel(create(ModelProtoSchema, { graph: m.graph }));
    assert.ok(Buffer.from(graphBytes(encodeQat(c, fake, fq).model)).equals(Buffer.from(graphBytes(ptq))), 'the same graph, byte for byte');
  });
}

// ---------------------------------------------------------------------------------------------------------
// lithe run

const dir = mkdtempSync(join(tmpdir(), 'lithe-qat-'));
const KEEP = 'keep "layers.000*"';
const QAT = `prune backbone l1 0.5\nquantize int8 qat epochs 1 ${KEEP}`;
const PTQ = `prune backbone l1 0.5\nquantize int8 ${KEEP}`;

async function run(name: string, body: string, stopAfter?: number, resume = false) {
  const recipe = recipeIn(dir, body, { name: `${name}.cmp` });
  const { plan } = checkText(recipe, readFileSync(recipe, 'utf8'));
  let polls = 0;
  return runPlan(plan!, { out: join(dir, name), threads: 1, resume, stopRequested: () => stopAfter !== undefined && ++polls > stopAfter });
}

const structure = (m: ModelProto) => m.graph!.node.map((n) => `${n.name}:${n.opType}(${n.input.join(',')})`);
const int8Weights = (m: ModelProto) => m.graph!.initializer.filter((t) => t.dataType === DataType.INT8 && t.dims.length > 1);

/** The model runs in onnxruntime (its int8 kernels) on an image-sized input, and gives finite outputs. */
async function runs(m: ModelProto): Promise<void> {
  const s = await createSession(m);
  try {
    const out = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', uniform(3 * 64 * 64, 0, 1), [1, 3, 64, 64]) });
    for (const o of s.outputNames) assert.ok((out[o]!.data as Float32Array).every(Number.isFinite), o);
  } finally {
    await s.release();
  }
}

function assertPlainQdq(m: ModelProto): void {
  assert.ok(!m.graph!.node.some((n) => n.opType === 'Round' || /fake_quantize/.test(n.name)), 'no fake quantization');
  assert.ok(!m.graph!.initializer.some((t) => t.name.endsWith('.step')), 'no step size');
  assert.ok(m.graph!.node.filter((n) => n.opType === 'QuantizeLinear').length > 10);
}

/** What every qat step records: the mAP of the QAT graph and of the exported model, which agree. */
function assertAgreement(details: Record<string, unknown>): void {
  for (const k of ['map_ptq', 'map_qat_graph', 'map_exported', 'map_gap']) assert.equal(typeof details[k], 'number', k);
  assert.equal(details.map_agrees, true, `QAT graph ${details.map_qat_graph}, exported ${details.map_exported}`);
  assert.ok(Math.abs((details.map_qat_graph as number) - (details.map_exported as number)) <= 100 * QAT_MAP_TOLERANCE);
}

test('lithe run: prune, then qat: a plain Q/DQ model with the PTQ model\'s structure, run by onnxruntime, its mAP the QAT graph\'s', async () => {
  const report = await run('a', QAT);
  const step = report.steps[1]!;
  assert.equal(step.details!.mode, 'qat');
  assert.equal(step.details!.epochs, 1);
  assertAgreement(step.details!);
  assert.equal(step.details!.map_exported, Number((100 * step.measures.map!).toFixed(2)), 'the report measures the exported model');
  const qat = loadModel(join(dir, 'a', '02-quantize.onnx'));
  await run('p', PTQ);
  const ptq = loadModel(join(dir, 'p', '02-quantize.onnx'));
  // the same nodes, names and wiring as PTQ's: no fake quantization, step size or training-only node is left
  assert.deepEqual(structure(qat), structure(ptq));
  assert.deepEqual(qat.graph!.initializer.map((t) => t.name).sort(), ptq.graph!.initializer.map((t) => t.name).sort());
  assertPlainQdq(qat);
  // `keep` leaves the first conv in float, as in PTQ: its weight is float, read directly
  const first = qat.graph!.node.find((n) => n.name === 'layers.000.conv')!;
  assert.ok(qat.graph!.initializer.some((t) => t.name === first.input[1] && t.dataType === DataType.FLOAT));
  // and training changed the int8 weights
  const changed = int8Weights(qat).filter((t, k) => !Buffer.from(t.rawData).equals(Buffer.from(int8Weights(ptq)[k]!.rawData)));
  assert.ok(changed.length > 0, 'some int8 weights differ from PTQ\'s');
  await runs(qat);
});

test('a qat step stopped mid-epoch resumes to the bytes of an uninterrupted run', async () => {
  // polls: before step 1, before step 2, then after each training step
  await assert.rejects(run('b', QAT, 2), /stopped at epoch 1, step 1/);
  const resumed = await run('b', QAT, undefined, true);
  assert.equal(resumed.steps.length, 2);
  assert.ok(readFileSync(join(dir, 'b', '02-quantize.onnx')).equals(readFileSync(join(dir, 'a', '02-quantize.onnx'))));
  const uninterrupted = JSON.parse(readFileSync(join(dir, 'a', 'report.json'), 'utf8')) as typeof resumed;
  assert.equal(resumed.steps[1]!.details!.mean_loss_per_epoch, uninterrupted.steps[1]!.details!.mean_loss_per_epoch);
});

test('lithe run: distill, then qat with learn-scales: the scales train, and the export is plain Q/DQ whose mAP agrees', async () => {
  const report = await run('d', 'distill from teacher with cls epochs 1\nquantize int8 qat epochs 1 learn-scales lr 0.01');
  const d = report.steps[1]!.details!;
  assert.equal(d.learn_scales, true);
  assert.equal(d.lr, 0.01);
  assert.ok((d.scales_median_change_percent as number) > 0, `the step sizes moved: ${d.scales_median_change_percent}%`);
  assertAgreement(d);
  const qat = loadModel(join(dir, 'd', '02-quantize.onnx'));
  assertPlainQdq(qat);
  await runs(qat);
});

test('lithe run: prune, then qat distill: the unpruned input teaches the quantized student, on class scores and head features, and the export is still plain Q/DQ', async () => {
  const report = await run('t', `prune backbone l1 0.5\nquantize int8 qat epochs 1 distill ${KEEP}`);
  const d = report.steps[1]!.details!;
  const taught = d.distill as Record<string, unknown>;
  assert.equal(taught.teacher, 'teacher');
  assert.match(taught.losses as string, /^cls \(weight [\d.]+\), feat \(weight [\d.]+\)$/);
  // the same start, data and schedule as run 'a': only the teacher's terms differ, and they add to the loss
  const plain = JSON.parse(readFileSync(join(dir, 'a', 'report.json'), 'utf8')).steps[1].details.mean_loss_per_epoch;
  assert.ok(Number(d.mean_loss_per_epoch) > Number(plain), `with the teacher ${d.mean_loss_per_epoch}, without ${plain}`);
  assertAgreement(d);
  const qat = loadModel(join(dir, 't', '02-quantize.onnx'));
  assertPlainQdq(qat);
  assert.deepEqual(structure(qat), structure(loadModel(join(dir, 'a', '02-quantize.onnx'))));
  await runs(qat);
});

test('on a trained detector (the baseline at 320 px), the exported model\'s mAP agrees with the QAT graph\'s', async (t) => {
  const set = join(dir, 'synth320');
  generateSynth({ out: set, seed: 5, train: 16, val: 16, size: 320 });
  const recipe = recipeIn(dir, 'quantize int8 qat epochs 1 calib 16', { name: 'baseline.cmp', model: resolve('models/shapes-yolo.onnx'), data: `data coco "${set}"` });
  const { plan } = checkText(recipe, readFileSync(recipe, 'utf8'));
  const report = await runPlan(plan!, { out: join(dir, 'baseline'), threads: 1 });
  const d = report.steps[0]!.details!;
  t.diagnostic(`mAP: float ${(100 * report.before.map!).toFixed(2)}, PTQ ${d.map_ptq}, QAT graph ${d.map_qat_graph}, exported ${d.map_exported}`);
  assert.ok((d.map_qat_graph as number) > 20, `a detector that detects: ${d.map_qat_graph}`);
  assertAgreement(d);
});
