// The quantize library: calibration methods on known distributions, Q/DQ placement on zoo models (shared
// Concat scales, residual Adds, `keep`, the decode tail), int8 and fp16 models that load and run in
// onnxruntime-node close to fp32, and inputs left untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ModelProto, NodeProto } from 'onnx-buf';
import { zooByName } from '../src/zoo/registry.ts';
import { Graph } from '../src/onnx/graph.ts';
import { DataType, graph, model, node, tensor, valueInfo } from '../src/onnx/make.ts';
import { encodeModel, loadModel } from '../src/onnx/io.ts';
import { tensorValues } from '../src/onnx/tensor.ts';
import { verify } from '../src/onnx/verify.ts';
import { createSession } from '../src/runtime/session.ts';
import { scene } from '../src/data/synth/scene.ts';
import { letterbox } from '../src/data/letterbox.ts';
import { mulberry32 } from '../src/util/random.ts';
import { METHODS } from '../src/passes/quantize/index.ts';
import { AbsHistogram, BINS } from '../src/passes/quantize/calibrate/histogram.ts';
import { methodById, methods } from '../src/passes/quantize/calibrate/registry.ts';
import { int8GemmSaturates } from '../src/passes/quantize/cpu.ts';
import { QuantizeError } from '../src/passes/quantize/errors.ts';
import { foldBatchNorms } from '../src/passes/fuse/fold.ts';
import { poolBeforeActivation } from '../src/passes/fuse/pool-first.ts';
import { MICRO_BENCHES, microModel } from '../src/latency/micro.ts';
import { narrowInputConvs } from '../src/passes/quantize/qdq/narrow.ts';
import { ORT_CPU_FLOAT32_OPS, toFp16 } from '../src/passes/quantize/fp16.ts';
import { fromHalfBits, toHalfBits } from '../src/onnx/half.ts';
import { quantizeInt8, type Int8Options } from '../src/passes/quantize/int8.ts';
import { quantizeWeight, roundHalfEven } from '../src/passes/quantize/qdq/weights.ts';

// ── calibration methods ──

const rnd = mulberry32(42);
const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
const DISTRIBUTIONS: Record<string, () => Float32Array> = {
  uniform: () => Float32Array.from({ length: 200_000 }, () => rnd() * 2 - 1),
  gaussian: () => Float32Array.from({ length: 200_000 }, gauss),
  // 20 outliers between 30 and 49 among 200 000 N(0, 1) values
  outliers: () => { const a = Float32Array.from({ length: 200_000 }, gauss); for (let i = 0; i < 20; i++) a[i * 1000] = (i % 2 ? -1 : 1) * (30 + i); return a; },
  // half of the values exactly zero
  relu: () => Float32Array.from({ length: 200_000 }, () => Math.max(0, gauss())),
};
const histograms = new Map(Object.entries(DISTRIBUTIONS).map(([k, f]) => {
  const h = new AbsHistogram();
  const a = f();
  for (let i = 0; i < 4; i++) h.add(a.subarray(i * 50_000, (i + 1) * 50_000)); // streamed, in four batches
  return [k, { h, max: a.reduce((m, v) => Math.max(m, Math.abs(v)), 0) }];
}));

/** amax bounds per distribution and method: [low, high]; 'max' is the exact largest |x|. */
const EXPECTED: Record<string, Record<string, [number | 'max', number | 'max']>> = {
  uniform: { minmax: ['max', 'max'], percentile: [0.999, 'max'], entropy: [0.95, 'max'], mse: [0.95, 'max'] },
  gaussian: { minmax: ['max', 'max'], percentile: [3.7, 4.1], entropy: [3, 'max'], mse: [3, 'max'] },
  outliers: { minmax: [49, 49], percentile: [3.7, 5.5], entropy: [3, 8], mse: [5, 45] },
  relu: { minmax: ['max', 'max'], percentile: [3.5, 4.3], entropy: [2.5, 'max'], mse: [3, 'max'] },
};

for (const [dist, byMethod] of Object.entries(EXPECTED)) {
  for (const [id, [lo, hi]] of Object.entries(byMethod)) {
    test(`calibration ${id} on ${dist}: amax in [${lo}, ${hi}]`, () => {
      const { h, max } = histograms.get(dist)!;
      const amax = methodById.get(id)!.amax(h, {});
      const bound = (b: number | 'max') => (b === 'max' ? max : b);
      assert.ok(amax >= bound(lo) - 1e-6 && amax <= bound(hi) + 1e-6, `${id} on ${dist}: ${amax} (max ${max})`);
      assert.equal(methodById.get(id)!.amax(h, {}), amax, 'deterministic');
    });
  }
}

test('percentile clips below the maximum, and further for a lower X', () => {
  const { h, max } = histograms.get('outliers')!;
  const p = methodById.get('percentile')!;
  assert.ok(p.amax(h, {}) < max);
  assert.ok(p.amax(h, { percentile: 99 }) < p.amax(h, { percentile: 99.99 }));
  assert.equal(p.amax(h, { percentile: 100 }), max);
  assert.throws(() => p.amax(h, { percentile: 0 }), RangeError);
});

test('the calibration registry is sorted and matches the pass metadata', () => {
  const ids = methods.map((m) => m.id);
  assert.deepEqual(ids, [...ids].sort());
  assert.deepEqual(ids, [...METHODS]);
});

test('the histogram streams: a larger batch doubles its range, keeping counts, the exact max and the zeros apart', () => {
  const h = new AbsHistogram();
  h.add(Float32Array.from([0, 0.5, -1]));
  assert.equal(h.width, 1 / BINS);
  h.add(Float32Array.from([3, -0.25, 0]));
  assert.equal(h.width, 4 / BINS);
  assert.equal(h.max, 3);
  assert.equal(h.total, 4);
  assert.equal(h.zeros, 2);
  assert.equal(h.counts.reduce((a, b) => a + b, 0), 4);
  assert.throws(() => h.add([Number.NaN]), /NaN/);
});

test('a sparse histogram (a few thousand values) keeps its full range under entropy', () => {
  const h = new AbsHistogram();
  h.add(Float32Array.from({ length: 3000 }, () => rnd() * 0.86));
  assert.equal(methodById.get('entropy')!.amax(h, {}), h.max);
});

// ── weights, halves, CPU detection ──

test('weights: symmetric per output channel (or per tensor), rounded half to even', () => {
  const w = Float32Array.from([1, -0.5, 0.25, 0, /* channel 1 */ 3, 1, -4, 0.5]);
  const pc = quantizeWeight(w, [2, 4], 0);
  assert.deepEqual(Array.from(pc.scales), [Math.fround(1 / 127), Math.fround(4 / 127)]);
  assert.deepEqual(Array.from(pc.values), [127, -64, 32, 0, 95, 32, -127, 16]);
  const pt = quantizeWeight(w, [2, 4], undefined);
  assert.equal(pt.scales.length, 1);
  assert.deepEqual(Array.from(pt.values.slice(0, 2)), [32, -16]);
  assert.equal(quantizeWeight(new Float32Array(4), [1, 4], 0).scales[0], 1);
  assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5].map(roundHalfEven), [0, 2, 2, -0, -2]);
});

test('float16 conversion rounds to nearest even and saturates at 65504', () => {
  const cases: [number, number][] = [[1, 0x3c00], [-2, 0xc000], [0.1, 0x2e66], [65504, 0x7bff], [1e6, 0x7bff], [2 ** -24, 1], [0, 0], [1 + 2 ** -11, 0x3c00]];
  for (const [x, bits] of cases) assert.equal(toHalfBits(x), bits, `${x}`);
  assert.equal(fromHalfBits(0x2e66), 0.0999755859375);
});

test('int8 GEMM saturation: x86 with AVX2 and no VNNI saturates; VNNI or no AVX2 does not', () => {
  const cpu = (flags: string) => `processor : 0\nflags : fpu sse2 ${flags}\n`;
  assert.equal(int8GemmSaturates(cpu('avx avx2 fma')), true);
  assert.equal(int8GemmSaturates(cpu('avx2 avx512f avx512_vnni')), false);
  assert.equal(int8GemmSaturates(cpu('avx2 avx_vnni')), false);
  assert.equal(int8GemmSaturates(cpu('sse4_2')), false);
});

// ── models ──

const SIZE = 160;
const zoo = (name: string, size = SIZE) => zooByName.get(name)!.build({ size, classes: 9, seed: 0 });
const image = (size: number, seed: number) => letterbox(scene(size, mulberry32(seed)).image, size).tensor;
const calib = (size = SIZE) => [image(size, 1), image(size, 2), image(size, 3)];

const memo = new Map<string, Promise<Awaited<ReturnType<typeof quantizeInt8>>>>();
const quantized = (name: string, opts: Partial<Int8Options> = {}, size = SIZE) => {
  const key = `${name}:${size}:${JSON.stringify(opts)}`;
  if (!memo.has(key)) memo.set(key, quantizeInt8(zoo(name, size), calib(size), { method: 'percentile', ...opts }));
  return memo.get(key)!;
};

async function outputs(m: ModelProto, x: Float32Array, size: number, optimization: 'all' | 'disabled' = 'all'): Promise<Float32Array[]> {
  const s = await createSession(m, { optimization });
  try {
    const r = await s.run({ images: new ort.Tensor('float32', x, [1, 3, size, size]) });
    return s.outputNames.map((o) => r[o]!.data as Float32Array);
  } finally {
    await s.release();
  }
}

/** ‖a − b‖ / ‖a‖ over all outputs. */
function relativeRms(a: Float32Array[], b: Float32Array[]): number {
  let e = 0;
  let n = 0;
  a.forEach((x, j) => x.forEach((v, i) => { e += (v - b[j]![i]!) ** 2; n += v * v; }));
  return Math.sqrt(e / n);
}

const producerOp = (g: Graph, v: string) => g.producer(v)?.opType;
const scaleOf = (g: Graph, qdq: NodeProto) => tensorValues(g.initializers.get(qdq.input[1]!)!)![0]!;

/** Tolerance: relative RMS output error of int8 against fp32 on held-out images. Random-weight models
 * amplify quantization noise with depth (a trained detector fares better); measured 0.04–0.09 here. */
const INT8_TOLERANCE = 0.15;

for (const name of ['micro-yolo', 'yolov3-tiny']) {
  test(`int8 ${name}: valid, runs in onnxruntime with fused int8 kernels, within ${INT8_TOLERANCE} of fp32`, async () => {
    const fp32 = zoo(name);
    const { model: q, report } = await quantized(name);
    const g = Graph.fromModel(q);
    assert.deepEqual(verify(g, { opset: 13 }), []);
    assert.equal(report.calibration.images, 3);
    assert.ok(report.quantized.length > 20);
    for (const seed of [10, 11]) {
      const x = image(SIZE, seed);
      const [ref, got, qdq] = [await outputs(fp32, x, SIZE), await outputs(q, x, SIZE), await outputs(q, x, SIZE, 'disabled')];
      const err = relativeRms(ref, got);
      assert.ok(err < INT8_TOLERANCE, `relative RMS error ${err.toFixed(4)}`);
      // onnxruntime's fused kernels compute what the Q/DQ graph means (no int16 saturation: see cpu.ts)
      assert.ok(relativeRms(qdq, got) < 0.05, `fused against Q/DQ reference: ${relativeRms(qdq, got)}`);
    }
    // every convolution but the two heads (float outputs) and the first (3 input channels: qdq/narrow.ts)
    // became a QLinearConv
    assert.deepEqual(report.kept, [fp32.graph!.node.find((n) => n.opType === 'Conv')!.name]);
    const dir = mkdtempSync(join(tmpdir(), 'lithe-q-'));
    try {
      const file = join(dir, 'opt.onnx');
      const s = await ort.InferenceSession.create(encodeModel(q), { graphOptimizationLevel: 'all', optimizedModelFilePath: file });
      await s.release();
      const ops = loadModel(file).graph!.node.map((n) => n.opType);
      const convs = fp32.graph!.node.filter((n) => n.opType === 'Conv').length;
      assert.equal(ops.filter((o) => o === 'QLinearConv').length, convs - 3, ops.join(' '));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('Q/DQ placement: weights int8 per channel (axis 0) behind a DequantizeLinear, BN folded, head outputs float', async () => {
  const { model: q, report } = await quantized('yolov3-tiny');
  const g = Graph.fromModel(q);
  assert.ok(!g.nodes.some((n) => n.opType === 'BatchNormalization'));
  assert.equal(report.foldedBatchNorms.length, 11);
  assert.deepEqual(report.kept, ['layers.000.conv'], 'the first conv stays float (qdq/narrow.ts)');
  for (const conv of g.nodes.filter((n) => n.opType === 'Conv' && n.name !== 'layers.000.conv')) {
    const dq = g.producer(conv.input[1]!)!;
    assert.equal(dq.opType, 'DequantizeLinear', conv.name);
    assert.equal(g.initializers.get(dq.input[0]!)!.dataType, DataType.INT8);
    assert.equal(g.initializers.get(dq.input[1]!)!.dims.length, 1, 'one scale per output channel');
    assert.equal(producerOp(g, conv.input[0]!), 'DequantizeLinear', `${conv.name} reads a dequantized activation`);
    if (conv.input[2]) assert.equal(g.initializers.get(conv.input[2])!.dataType, DataType.FLOAT, 'bias stays float');
  }
  for (const o of g.outputs) {
    assert.equal(producerOp(g, o.name), 'Conv');
    assert.ok(!g.consumers(o.name).length, 'nothing quantizes a head output');
  }
  const zp = g.nodes.filter((n) => n.opType === 'QuantizeLinear').map((n) => g.initializers.get(n.input[2]!)!);
  assert.ok(zp.every((t) => t.dataType === DataType.UINT8 && tensorValues(t)![0] === 128), 'onnxruntime encoding: uint8, zero point 128');
});

test('pool-first: each MaxPool moved before the LeakyReLU feeding it; float and int8 outputs unchanged bit for bit', async () => {
  const fp32 = zoo('yolov3-tiny');
  const g = Graph.fromModel(fp32);
  const moves = poolBeforeActivation(g);
  // six pools; layer 8's activation also feeds the route to the second head, so its pool stays after it
  assert.deepEqual(moves.map((m) => m.activation), ['layers.000.act', 'layers.002.act', 'layers.004.act', 'layers.006.act', 'layers.010.act']);
  for (const m of moves) assert.equal(g.producer(m.out)!.opType, 'LeakyRelu');
  const moved = g.toModel(fp32);
  assert.deepEqual(verify(Graph.fromModel(moved), { opset: 13 }), []);
  const x = image(SIZE, 12);
  const equal = (a: Float32Array[], b: Float32Array[]) => a.every((v, j) => v.every((y, i) => Object.is(y, b[j]![i])));
  assert.ok(equal(await outputs(fp32, x, SIZE, 'disabled'), await outputs(moved, x, SIZE, 'disabled')), 'float outputs differ');
  // int8: calibrated before the move (int8.ts), the same scales, so the same int8 values, fused or not
  const [{ model: a }, { model: b }] = [await quantized('yolov3-tiny'), await quantized('yolov3-tiny', { poolFirst: false })];
  for (const opt of ['disabled', 'all'] as const) assert.ok(equal(await outputs(a, x, SIZE, opt), await outputs(b, x, SIZE, opt)), `int8 outputs differ (${opt})`);
});

test('narrow first conv: float on onnxruntime (3 channels: a 3x3, or yolov5n\'s 6x6 stem), int8 for TensorRT', async () => {
  assert.deepEqual(narrowInputConvs(Graph.fromModel(zoo('yolov3-tiny'))), ['layers.000.conv']);
  assert.deepEqual(narrowInputConvs(Graph.fromModel(zoo('yolov5n'))), ['model.0.conv']);
  // a depthwise conv reads all 64 channels of its input, 1 per group: not narrow (calibrate times it in int8)
  assert.deepEqual(narrowInputConvs(Graph.fromModel(microModel(MICRO_BENCHES.find((b) => b.group > 1)!))), []);
  assert.deepEqual((await quantized('yolov3-tiny', { runtime: 'tensorrt' })).report.kept, []);
});

test('a Concat and its inputs share one scale; MaxPool keeps its input scale', async () => {
  const { model: q } = await quantized('yolov3-tiny');
  const g = Graph.fromModel(q);
  const concat = g.nodes.find((n) => n.opType === 'Concat')!;
  const scales = concat.input.map((v) => { const dq = g.producer(v)!; assert.equal(dq.opType, 'DequantizeLinear'); return scaleOf(g, dq); });
  const after = g.consumers(concat.output[0]!).find((n) => n.opType === 'QuantizeLinear')!;
  assert.equal(new Set([...scales, scaleOf(g, after)]).size, 1, `${scales} / ${scaleOf(g, after)}`);
  // the first layer's pool runs in float with its conv (qdq/narrow.ts)
  for (const pool of g.nodes.filter((n) => n.opType === 'MaxPool' && producerOp(g, n.input[0]!) === 'DequantizeLinear')) {
    const q2 = g.consumers(pool.output[0]!).find((n) => n.opType === 'QuantizeLinear')!;
    assert.equal(scaleOf(g, g.producer(pool.input[0]!)!), scaleOf(g, q2), pool.name);
  }
});

test('a Concat input also read elsewhere keeps its own scale there; the concat reads it requantized', async () => {
  // small (|x| ≈ 1) is concatenated with big (|x| ≈ 1000) and also feeds conv3
  const w = (name: string, o: number, i: number, k: number) => tensor(name, [o, i, 1, 1], Float32Array.from({ length: o * i }, () => (rnd() - 0.5) * k));
  const m = model(graph('branch', [
    node('Conv', ['images', 'w1'], ['small'], { kernel_shape: [1, 1] }, 'conv1'),
    node('Conv', ['images', 'w2'], ['big'], { kernel_shape: [1, 1] }, 'conv2'),
    node('Concat', ['small', 'big'], ['cat'], { axis: 1 }, 'cat'),
    node('Conv', ['small', 'w3'], ['side'], { kernel_shape: [1, 1] }, 'conv3'),
    node('Conv', ['cat', 'w4'], ['out'], { kernel_shape: [1, 1] }, 'conv4'),
  ], [valueInfo('images', DataType.FLOAT, ['N', 3, 8, 8])], [valueInfo('side', DataType.FLOAT, ['N', 4, 8, 8]), valueInfo('out', DataType.FLOAT, ['N', 4, 8, 8])],
  [w('w1', 4, 3, 1), w('w2', 4, 3, 2000), w('w3', 4, 4, 1), w('w4', 4, 8, 1)]));
  const x = Float32Array.from({ length: 3 * 64 }, () => rnd());
  const { model: q, report } = await quantizeInt8(m, [x], { method: 'minmax' });
  const g = Graph.fromModel(q);
  const side = scaleOf(g, g.producer(g.node('conv3')!.input[0]!)!);
  const cat = g.node('cat')!.input.map((v) => scaleOf(g, g.producer(v)!));
  assert.equal(cat[0], cat[1]);
  assert.ok(side < cat[0]! / 100, `conv3 reads 'small' at its own scale ${side}, the concat at ${cat[0]}`);
  assert.ok('small -> cat' in report.scales);
  const [ref, got] = [await outputs(m, x, 8), await outputs(q, x, 8)];
  assert.ok(relativeRms([ref[0]!], [got[0]!]) < 0.05, `side output: ${relativeRms([ref[0]!], [got[0]!])}`);
});

test('yolov5n: every residual Add has both inputs quantized and its output quantized', async () => {
  const { model: q } = await quantized('yolov5n', { method: 'minmax' });
  const g = Graph.fromModel(q);
  const adds = g.nodes.filter((n) => n.opType === 'Add');
  assert.ok(adds.length >= 4);
  for (const add of adds) {
    assert.deepEqual(add.input.map((v) => producerOp(g, v)), ['DequantizeLinear', 'DequantizeLinear'], add.name);
    assert.ok(g.consumers(add.output[0]!).some((n) => n.opType === 'QuantizeLinear'), add.name);
  }
  const out = await outputs(q, image(SIZE, 10), SIZE);
  assert.ok(out.every((o) => o.every(Number.isFinite)));
});

test('keep: the named nodes stay float, read float inputs and keep float weights', async () => {
  const keep = new Set(['layers.013.conv', 'layers.000.conv']);
  const { model: q, report } = await quantized('micro-yolo', { keep });
  const g = Graph.fromModel(q);
  assert.deepEqual(new Set(report.kept), keep);
  for (const name of keep) {
    const n = g.node(name)!;
    assert.equal(g.initializers.get(n.input[1]!)!.dataType, DataType.FLOAT, `${name} keeps a float weight`);
    assert.notEqual(producerOp(g, n.input[0]!), 'DequantizeLinear', `${name} reads a float input`);
    assert.ok(!report.quantized.includes(name));
  }
  await assert.rejects(quantizeInt8(zoo('micro-yolo'), calib(), { method: 'minmax', keep: new Set(['no.such.node']) }), (e: unknown) => e instanceof QuantizeError && /no\.such\.node/.test(e.message));
});

test('the decode tail (ssd-lite row reshapes and concats after the head convs) stays float', async () => {
  const { model: q, report } = await quantized('ssd-lite', { method: 'minmax' }, 128);
  const g = Graph.fromModel(q);
  assert.ok(report.decode.length >= 24, `${report.decode.length}`);
  for (const name of report.decode) {
    const n = g.node(name)!;
    assert.ok(n.input.every((v) => producerOp(g, v) !== 'DequantizeLinear'), `${name} reads float`);
    assert.ok(n.output.every((o) => !g.consumers(o).some((c) => c.opType === 'QuantizeLinear')), `${name} is not quantized`);
  }
  assert.deepEqual(g.outputs.map((o) => producerOp(g, o.name)), ['Concat', 'Concat']);
  const out = await outputs(q, image(128, 10), 128);
  assert.ok(out.every((o) => o.every(Number.isFinite)));
});

test('decode nodes after the last conv (Sigmoid, scaling) stay float in a hand-built head', async () => {
  const g = graph('head', [
    node('Conv', ['images', 'w1'], ['a'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, 'conv1'),
    node('LeakyRelu', ['a'], ['b'], { alpha: 0.1 }, 'act1'),
    node('Conv', ['b', 'w2', 'b2'], ['raw'], { kernel_shape: [1, 1] }, 'head'),
    node('Sigmoid', ['raw'], ['sig'], {}, 'decode.sigmoid'),
    node('Mul', ['sig', 'stride'], ['boxes'], {}, 'decode.scale'),
  ], [valueInfo('images', DataType.FLOAT, ['N', 3, 16, 16])], [valueInfo('boxes', DataType.FLOAT, ['N', 6, 16, 16])], [
    tensor('w1', [8, 3, 3, 3], Float32Array.from({ length: 216 }, () => rnd() - 0.5)),
    tensor('w2', [6, 8, 1, 1], Float32Array.from({ length: 48 }, () => rnd() - 0.5)),
    tensor('b2', [6], new Float32Array(6)), tensor('stride', [], Float32Array.of(32)),
  ]);
  const m = model(g);
  const x = Float32Array.from({ length: 3 * 16 * 16 }, () => rnd());
  const { model: q, report } = await quantizeInt8(m, [x, x], { method: 'minmax' });
  assert.deepEqual(report.decode.sort(), ['decode.scale', 'decode.sigmoid']);
  const qg = Graph.fromModel(q);
  assert.equal(producerOp(qg, 'raw'), 'Conv');
  assert.deepEqual(qg.consumers('raw').map((n) => n.opType), ['Sigmoid']);
  const [ref, got] = [await outputs(m, x, 16), await outputs(q, x, 16)];
  assert.ok(relativeRms(ref, got) < 0.05);
});

test('the tensorrt encoding: int8 activations with zero point 0, full-range 8-bit weights; it runs in onnxruntime too', async () => {
  const { model: q, report } = await quantized('yolov3-tiny', { runtime: 'tensorrt', method: 'minmax' });
  assert.equal(report.activations, 'int8');
  assert.equal(report.reduceRange, false);
  const g = Graph.fromModel(q);
  for (const n of g.nodes.filter((x) => x.opType === 'QuantizeLinear' || x.opType === 'DequantizeLinear')) {
    const zp = g.initializers.get(n.input[2]!)!;
    assert.equal(zp.dataType, DataType.INT8, n.name);
    assert.ok(tensorValues(zp)!.every((v) => v === 0), n.name);
  }
  const w = g.initializers.get(g.producer(g.node('layers.002.conv')!.input[1]!)!.input[0]!)!;
  assert.equal(Math.max(...tensorValues(w)!.map(Math.abs)), 127);
  const err = relativeRms(await outputs(zoo('yolov3-tiny'), image(SIZE, 10), SIZE), await outputs(q, image(SIZE, 10), SIZE, 'disabled'));
  assert.ok(err < INT8_TOLERANCE, `${err}`);
});

test('per-tensor weights: one scale per weight, no axis', async () => {
  const { model: q } = await quantized('micro-yolo', { weights: 'per-tensor', method: 'minmax' });
  const g = Graph.fromModel(q);
  const dqs = g.nodes.filter((n) => n.opType === 'DequantizeLinear' && g.initializers.get(n.input[0]!)?.dataType === DataType.INT8 && g.initializers.has(n.input[0]!));
  assert.ok(dqs.length > 20);
  for (const dq of dqs) {
    assert.equal(g.initializers.get(dq.input[1]!)!.dims.length, 0, dq.name);
    assert.ok(!dq.attribute.some((a) => a.name === 'axis'));
  }
  const err = relativeRms(await outputs(zoo('micro-yolo'), image(SIZE, 10), SIZE), await outputs(q, image(SIZE, 10), SIZE));
  assert.ok(err < 0.3, `${err}`);
});

test("bias 'int32': biases become int32 behind a DequantizeLinear with scale s_x·s_w, same outputs", async () => {
  const { model: q } = await quantized('yolov3-tiny', { method: 'minmax', bias: 'int32' });
  const { model: f } = await quantized('yolov3-tiny', { method: 'minmax' });
  const g = Graph.fromModel(q);
  const conv = g.node('layers.002.conv')!;
  const dq = g.producer(conv.input[2]!)!;
  assert.equal(g.initializers.get(dq.input[0]!)!.dataType, DataType.INT32);
  const sx = scaleOf(g, g.producer(conv.input[0]!)!);
  const sw = tensorValues(g.initializers.get(g.producer(conv.input[1]!)!.input[1]!)!)!;
  assert.deepEqual(tensorValues(g.initializers.get(dq.input[1]!)!), sw.map((s) => Math.fround(sx * s)));
  const x = image(SIZE, 10);
  assert.ok(relativeRms(await outputs(f, x, SIZE), await outputs(q, x, SIZE)) < 1e-3);
});

test('folding BatchNormalization keeps the function', async () => {
  const m = zoo('yolov3-tiny');
  const g = Graph.fromModel(m);
  assert.equal(foldBatchNorms(g).length, 11);
  const x = image(SIZE, 5);
  const err = relativeRms(await outputs(m, x, SIZE), await outputs(g.toModel(m), x, SIZE));
  assert.ok(err < 1e-5, `${err}`);
});

test('bad input is a QuantizeError naming the problem', async () => {
  const { model: q } = await quantized('micro-yolo');
  await assert.rejects(quantizeInt8(q, calib(), { method: 'minmax' }), (e: unknown) => e instanceof QuantizeError && /already quantized/.test(e.message));
  await assert.rejects(quantizeInt8(zoo('micro-yolo'), [new Float32Array(100)], { method: 'minmax' }), (e: unknown) => e instanceof QuantizeError && /not a multiple of one image \(3x160x160/.test(e.message));
  await assert.rejects(quantizeInt8(zoo('micro-yolo'), [], { method: 'minmax' }), (e: unknown) => e instanceof QuantizeError && /at least one batch/.test(e.message));
  await assert.rejects(quantizeInt8(zoo('micro-yolo'), calib(), { method: 'kl' as 'entropy' }), (e: unknown) => e instanceof QuantizeError && /unknown calibration method 'kl'/.test(e.message));
});

test('calibration streams batches of several images from an async iterable', async () => {
  const per = 3 * SIZE * SIZE;
  async function* batches() { for (const b of [0, 1]) { const a = new Float32Array(2 * per); a.set(image(SIZE, 20 + 2 * b)); a.set(image(SIZE, 21 + 2 * b), per); yield a; } }
  const { report } = await quantizeInt8(zoo('micro-yolo'), batches(), { method: 'minmax', tapBudgetBytes: 2 ** 20 });
  assert.deepEqual(report.calibration, { images: 4, batches: 2 });
});

// ── fp16 ──

test('fp16: float16 weights and compute, a float32 interface, runs in onnxruntime within fp16 tolerance', async () => {
  const m = zoo('yolov3-tiny');
  for (const h of [toFp16(m), toFp16(m, { float32Ops: ORT_CPU_FLOAT32_OPS })]) {
    const g = Graph.fromModel(h);
    assert.deepEqual(verify(g), []);
    assert.deepEqual([...g.inputs, ...g.outputs].map((v) => v.type?.value.case === 'tensorType' && v.type.value.value.elemType), [DataType.FLOAT, DataType.FLOAT, DataType.FLOAT]);
    const weights = [...g.initializers.values()].filter((t) => t.dims.length === 4);
    assert.ok(weights.length >= 13 && weights.every((t) => t.dataType === DataType.FLOAT16));
    for (const seed of [10, 11]) {
      const x = image(SIZE, seed);
      const [ref, got] = [await outputs(m, x, SIZE), await outputs(h, x, SIZE)];
      // fp16 tolerance: weights rounded to 11 significant bits (relative 2^-11 ≈ 5e-4 each)
      assert.ok(relativeRms(ref, got) < 3e-3, `${relativeRms(ref, got)}`);
    }
  }
});

test('fp16 with ORT_CPU_FLOAT32_OPS: those ops compute in float32, weights stored float16 behind a Cast', () => {
  const g = Graph.fromModel(toFp16(zoo('micro-yolo'), { float32Ops: ORT_CPU_FLOAT32_OPS }));
  for (const n of g.nodes.filter((x) => ORT_CPU_FLOAT32_OPS.has(x.opType))) {
    for (const v of n.input.filter(Boolean)) {
      const from = g.producer(v);
      const init = g.initializers.get(v);
      const ok = init ? init.dataType === DataType.FLOAT : !from || from.opType !== 'Cast' || from.attribute[0]!.i === BigInt(DataType.FLOAT);
      assert.ok(ok, `${n.name} reads ${v} as float32`);
    }
    if (n.opType === 'Conv') assert.equal(g.initializers.get(g.producer(n.input[1]!)!.input[0]!)!.dataType, DataType.FLOAT16, `${n.name}'s weight is stored float16`);
  }
  // the model is float32 from end to end here: Casts only convert weights, never activations
  assert.deepEqual(g.nodes.filter((n) => n.opType === 'Cast' && !g.initializers.has(n.input[0]!)).map((n) => n.name), []);
});

test('neither conversion modifies its input model', async () => {
  const m = zoo('micro-yolo');
  const before = Buffer.from(encodeModel(m));
  await quantizeInt8(m, calib(), { method: 'entropy', keep: new Set(['layers.000.conv']) });
  toFp16(m);
  toFp16(m, { float32Ops: ORT_CPU_FLOAT32_OPS });
  assert.ok(before.equals(Buffer.from(encodeModel(m))));
});
