// The latency model (src/latency/): kernels and their fusion, the roofline, the TX2 factors against the
// published figures they were fitted to, the calibration fit, and `lithe target calibrate` end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { TensorProto_DataType as DT } from 'onnx-buf';
import { Graph } from '../src/onnx/graph.ts';
import { graph, model, node, tensor, valueInfo } from '../src/onnx/make.ts';
import { kernelsOf, type Kernel } from '../src/latency/kernels.ts';
import { fitFactors, type Sample } from '../src/latency/calibrate.ts';
import { MICRO_BENCHES, microModel, timedModel } from '../src/latency/micro.ts';
import { depthShare, kernelOptions, predictLatency, timeKernel } from '../src/latency/predict.ts';
import { loadTarget } from '../src/targets/load.ts';
import type { Target } from '../src/targets/target.ts';
import { LitheError } from '../src/errors.ts';
import { timeKernels } from '../src/latency/timing.ts';
import { zooByName } from '../src/zoo/registry.ts';
import { quantizeInt8 } from '../src/passes/quantize/int8.ts';
import { cli } from './support/cli.ts';

const w = (name: string, dims: number[]) => tensor(name, dims, Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i) * 0.1));

/** x → conv 3x3 (8→16) → BN → LeakyRelu → a, then a → conv 1x1 → SiLU (Sigmoid, Mul) → b, b + a → y. */
function block() {
  const nodes = [
    node('Conv', ['x', 'w1'], ['c1'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, 'conv1'),
    node('BatchNormalization', ['c1', 'g', 'be', 'mu', 'var'], ['n1'], {}, 'bn1'),
    node('LeakyRelu', ['n1'], ['a'], { alpha: 0.1 }, 'act1'),
    node('Conv', ['a', 'w2'], ['c2'], { kernel_shape: [1, 1] }, 'conv2'),
    node('Sigmoid', ['c2'], ['s2'], {}, 'sig2'),
    node('Mul', ['c2', 's2'], ['b'], {}, 'silu2'),
    node('Add', ['b', 'a'], ['y'], {}, 'residual'),
  ];
  const inits = [w('w1', [16, 8, 3, 3]), w('w2', [16, 16, 1, 1]), w('be', [16]), w('mu', [16]), ...['g', 'var'].map((n) => tensor(n, [16], new Float32Array(16).fill(1)))];
  return model(graph('block', nodes, [valueInfo('x', DT.FLOAT, [1, 8, 32, 32])], [valueInfo('y', DT.FLOAT, [1, 16, 32, 32])], inits));
}

test('conv+BN+activation and conv+SiLU are one kernel each; a residual Add is its own', () => {
  const ks = kernelsOf(Graph.fromModel(block()), 13);
  assert.deepEqual(ks.map((k) => [k.kind, k.nodes]), [
    ['conv', ['conv1', 'bn1', 'act1']], ['pointwise', ['conv2', 'sig2', 'silu2']], ['memory', ['residual']],
  ]);
  const [c1, c2, add] = ks as [typeof ks[0], typeof ks[0], typeof ks[0]];
  assert.equal(c1.macs, 32 * 32 * 16 * 8 * 9);
  assert.equal(c1.weights, 16 * 8 * 9);
  // reads x, writes a (read by conv2 and the Add); BN's intermediate stays inside the kernel
  assert.equal(c1.activations, 8 * 1024 + 16 * 1024);
  assert.equal(c2.activations, 16 * 1024 * 2);
  assert.equal(add.activations, 16 * 1024 * 3);
  assert.ok(ks.every((k) => k.precision === 'fp32'));
  assert.ok(kernelsOf(Graph.fromModel(block()), 13, { precision: 'int8' }).every((k) => k.precision === 'int8'));
});

test('onnxruntime int8: an activation other than Relu/Clip is a kernel of its own; a conv with no weighted op after it stays float', () => {
  const ort = { precision: 'int8' as const, fusableInt8: new Set(['Add', 'BatchNormalization', 'Clip', 'Relu']), int8NeedsQuantizedOutput: true };
  const ks = kernelsOf(Graph.fromModel(block()), 13, ort);
  // QLinearConv, then QLinearLeakyRelu; the last conv is the quantizer's float output conv (QDQ fusion needs Q after it)
  assert.deepEqual(ks.map((k) => [k.kind, k.nodes, k.precision]), [
    ['conv', ['conv1', 'bn1'], 'int8'], ['memory', ['act1'], 'int8'], ['pointwise', ['conv2', 'sig2', 'silu2'], 'fp32'], ['memory', ['residual'], 'int8'],
  ]);
});

test("onnxruntime's NCHWc block: a conv on fewer input channels is shallow, output channels are computed to the block", () => {
  const conv = (cin: number, cout: number) => model(graph('c', [node('Conv', ['x', 'w'], ['y'], { kernel_shape: [1, 1] }, 'pw')], [valueInfo('x', DT.FLOAT, [1, cin, 16, 16])], [valueInfo('y', DT.FLOAT, [1, cout, 16, 16])], [w('w', [cout, cin, 1, 1])]));
  const [narrow] = kernelsOf(Graph.fromModel(conv(8, 48)), 13, { channelBlock: 16 }) as [Kernel];
  assert.equal(narrow.kind, 'shallow');
  assert.equal(kernelsOf(Graph.fromModel(conv(8, 48)), 13)[0]!.kind, 'pointwise', 'no block, no NCHWc kernel');
  const [few] = kernelsOf(Graph.fromModel(conv(32, 8)), 13, { channelBlock: 16 }) as [Kernel];
  assert.deepEqual([few.kind, few.macs], ['pointwise', 256 * 16 * 32]);
});

test("onnxruntime's NCHWc layout changes around an op it runs in the plain layout only (mish's Softplus), not around a MaxPool", () => {
  const c = (i: number, x: string, y: string) => node('Conv', [x, `w${i}`], [y], { kernel_shape: [1, 1] }, `conv${i}`);
  const nodes = [c(0, 'x', 'a'), node('MaxPool', ['a'], ['p'], { kernel_shape: [1, 1] }, 'pool'), c(1, 'p', 'b'), node('Softplus', ['b'], ['s'], {}, 'softplus'), c(2, 's', 'y')];
  const m = model(graph('m', nodes, [valueInfo('x', DT.FLOAT, [1, 32, 8, 8])], [valueInfo('y', DT.FLOAT, [1, 32, 8, 8])], [0, 1, 2].map((i) => w(`w${i}`, [32, 32, 1, 1]))));
  const ort = { fusable: new Set(['BatchNormalization', 'LeakyRelu']) }; // onnxruntime fuses no Softplus
  const ks = kernelsOf(Graph.fromModel(m), 13, { ...ort, channelBlock: 16 });
  // the graph's input in, conv1's output out to the Softplus, its output back in, conv2's output out
  assert.deepEqual(ks.map((k) => [k.name, k.reordered]), [['conv0', 2048], ['pool', 0], ['conv1', 2048], ['softplus', 0], ['conv2', 4096]]);
  assert.ok(kernelsOf(Graph.fromModel(m), 13, ort).every((k) => k.reordered === 0), 'no block, no layout changes');
  // a layout change is a kernel of its own: its time adds to a compute-bound conv's, not hidden under it
  const x86 = loadTarget('x86');
  const f = { ...x86.latency!, reorder_ns: 1 };
  const last = ks[4]!;
  assert.ok(Math.abs(timeKernel(last, x86, f).ms - timeKernel({ ...last, reordered: 0 }, x86, f).ms - 4096e-6) < 1e-9);
});

test('onnxruntime int8 with a zero point of 0: ReLU6 after a conv is a float kernel between Q and DQ, priced per element with them', () => {
  // a conv after it, so that the first one's output is quantized again (else it runs float, Clip fused)
  const nodes = [node('Conv', ['x', 'w'], ['c'], { kernel_shape: [1, 1] }, 'pw'), node('Clip', ['c', 'lo', 'hi'], ['r'], {}, 'relu6'), node('Conv', ['r', 'w'], ['y'], { kernel_shape: [1, 1] }, 'out')];
  const m = model(graph('c', nodes, [valueInfo('x', DT.FLOAT, [1, 32, 16, 16])], [valueInfo('y', DT.FLOAT, [1, 32, 16, 16])], [w('w', [32, 32, 1, 1]), tensor('lo', [], Float32Array.of(0)), tensor('hi', [], Float32Array.of(6))]));
  const x86 = loadTarget('x86');
  const ks = kernelsOf(Graph.fromModel(m), 13, { ...kernelOptions(x86.latency!, 'int8') });
  assert.deepEqual(ks.map((k) => [k.kind, k.nodes, k.precision]), [['pointwise', ['pw'], 'int8'], ['memory', ['relu6'], 'int8'], ['pointwise', ['out'], 'fp32']]);
  const f = { ...x86.latency!, int8_elementwise_ns: { Clip: 2 }, kernel_us: 0 };
  const fast = { ...x86, memory: { ...x86.memory, bandwidth_gbps: 1e6 } };
  assert.ok(Math.abs(timeKernel(ks[1]!, fast, f).ms - (2 * 32 * 256) / 1e6) < 1e-4);
});

test('Q/DQ is folded: a quantized conv is an int8 kernel and Q/DQ nodes are no kernels', async () => {
  const image = Float32Array.from({ length: 8 * 32 * 32 }, (_, i) => Math.cos(i));
  const q = (await quantizeInt8(block(), [image], { method: 'minmax', threads: 1 })).model;
  const ks = kernelsOf(Graph.fromModel(q), 13);
  assert.ok(!ks.some((k) => k.nodes.some((n) => /Quantize|Dequantize/.test(q.graph!.node.find((x) => x.name === n)!.opType))));
  assert.ok(ks.filter((k) => k.kind !== 'memory').every((k) => k.precision === 'int8'), JSON.stringify(ks.map((k) => [k.name, k.precision])));
  // onnxruntime's QDQ fusion needs Q on both sides: the quantizer leaves conv2's output float, so it runs float
  const ort = kernelsOf(Graph.fromModel(q), 13, { int8NeedsQuantizedOutput: true });
  assert.deepEqual(ort.filter((k) => k.kind !== 'memory').map((k) => [k.name, k.precision]), [['conv1', 'int8'], ['conv2', 'fp32']]);
});

test('the roofline: compute-bound at low bandwidth turns memory-bound, int8 runs as fp16 where it is not fast', () => {
  const tx2 = loadTarget('tx2');
  const m = block();
  const fp16 = predictLatency(m, tx2, { precision: 'fp16' });
  const int8 = predictLatency(m, tx2, { precision: 'int8' });
  assert.equal(int8.ms, fp16.ms);
  assert.ok(int8.kernels.every((k) => k.runsAs === 'fp16'));
  const fp32 = predictLatency(m, tx2, { precision: 'fp32' });
  assert.ok(fp32.ms > fp16.ms);
  const slow: Target = { ...tx2, memory: { ...tx2.memory, bandwidth_gbps: 0.01 } };
  assert.ok(predictLatency(m, slow).kernels.every((k) => k.bound === 'memory'));
});

test('a chain run as one kernel (SiLU) is costed at its own rate where the profile has one, else op by op', () => {
  const x86 = loadTarget('x86');
  const [silu] = kernelsOf(Graph.fromModel(microModel(MICRO_BENCHES.find((b) => b.op === 'SiLU')!)), 13, { chained: new Set(['Mul', 'Sigmoid']) }) as [ReturnType<typeof kernelsOf>[0]];
  assert.deepEqual(Object.keys(silu.elementwise).sort(), ['Mul', 'Sigmoid']);
  const compute = (ns: Record<string, number>) => { const f = { ...x86.latency!, elementwise_ns: ns, memory_efficiency: 1 }; return timeKernel(silu, { ...x86, memory: { ...x86.memory, bandwidth_gbps: 1e6 } }, f).ms; };
  const n = 64 * 104 * 104;
  assert.ok(Math.abs(compute({ Sigmoid: 1, 'Mul+Sigmoid': 0.5 }) - (0.5 * n) / 1e6) < 0.01);
  assert.ok(Math.abs(compute({ Sigmoid: 1 }) - (1 * n) / 1e6) < 0.01);
});

test('a target without a latency block says so by name', () => {
  assert.throws(() => predictLatency(block(), loadTarget('kirin990')), (e) => e instanceof LitheError && /kirin990.*no latency model.*latency/.test(e.message));
});

test('TX2: YOLOv3-416 and YOLOv4-416 within ±30% of the published figures the factors were fitted to', () => {
  const tx2 = loadTarget('tx2');
  for (const name of ['yolov3', 'yolov4']) {
    const m = zooByName.get(name)!.build({ size: 416, seed: 0 });
    for (const f of tx2.latency!.fitted_to.filter((x) => x.model === name)) {
      const ms = predictLatency(m, tx2, { precision: f.precision }).ms;
      assert.ok(Math.abs(ms / f.ms - 1) <= 0.3, `${name} ${f.precision}: predicted ${ms.toFixed(1)} ms, published ${f.ms} ms`);
    }
  }
});

test('the calibration fit: peak from the fastest dense kernel, kinds as shares of it, memory from the Add', () => {
  const k = (kind: Sample['kernel']['kind'], macs: number, activations: number, precision: 'fp32' | 'int8' = 'fp32') =>
    ({ name: kind, kind, nodes: [], macs, depth: 100, activations, reordered: 0, elementwise: {}, weights: 0, precision });
  const samples: Sample[] = [
    { bench: 'a', side: 1, kernel: k('conv', 1e8, 0), ms: 2 }, // 50 GMAC/s: the peak
    { bench: 'b', side: 1, kernel: k('conv', 1e8, 0), ms: 4 },
    { bench: 'c', side: 1, kernel: k('conv', 1e8, 0), ms: 2.5 },
    { bench: 'd', side: 1, kernel: k('depthwise', 1e6, 0), ms: 0.2 }, // 5 GMAC/s
    { bench: 'e', side: 1, kernel: k('memory', 0, 1e6), ms: 0.4 }, // 4 MB in 0.4 ms: 10 GB/s
  ];
  const f = fitFactors(samples, 0, 40, 'test');
  assert.equal(f.peak_tflops!.fp32, 0.1);
  assert.deepEqual(f.efficiency.fp32, { conv: 0.8, depthwise: 0.1, gemm: 0.8 });
  assert.equal(f.memory_efficiency, 0.25);
  assert.equal(f.fitted_to.length, 5);
});

test('the calibration fit leaves out a sample that ran implausibly fast (a difference of two noisy times) and says so', () => {
  const k = (kind: Sample['kernel']['kind'], macs: number) => ({ name: kind, kind, nodes: [], macs, depth: 100, activations: 0, reordered: 0, elementwise: {}, weights: 0, precision: 'fp32' as const });
  const samples: Sample[] = [
    { bench: 'a', side: 1, kernel: k('conv', 1e8), ms: 2 },
    { bench: 'b', side: 1, kernel: k('conv', 1e8), ms: 4 },
    { bench: 'c', side: 1, kernel: k('conv', 1e8), ms: 2.5 },
    { bench: 'noise', side: 1, kernel: k('shallow', 1e7), ms: 0.001 }, // 10 TMAC/s on a CPU core: noise
    { bench: 'e', side: 1, kernel: { ...k('memory', 0), activations: 1e6 }, ms: 0.4 },
  ];
  const said: string[] = [];
  const f = fitFactors(samples, 0, 40, 'test', (l) => said.push(l));
  assert.equal(f.peak_tflops!.fp32, 0.1, 'the peak from the fastest real conv, as without the noise');
  assert.deepEqual(f.efficiency.fp32, { conv: 0.8, gemm: 0.8 });
  assert.match(said.join('\n'), /^noise \(fp32\): 0\.001 ms is \d+× the median rate of its dense kernels, left out as implausible/);
});

test('lithe target calibrate writes a profile that loads, named after the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-calibrate-'));
  try {
    const out = join(dir, 'mycpu.yaml');
    const r = await cli('target', 'calibrate', '--out', out, '--runs', '1', '--rounds', '1');
    assert.equal(r.code, 0, r.err);
    const doc = parse(readFileSync(out, 'utf8'));
    assert.equal(doc.name, 'mycpu');
    assert.ok(doc.latency.peak_tflops.fp32 > 0 && doc.latency.efficiency.fp32.conv > 0);
    const t = loadTarget('mycpu', dir);
    assert.ok(predictLatency(block(), t).ms > 0);
    const again = await cli('target', 'calibrate', '--out', out, '--runs', '1', '--rounds', '1');
    assert.equal(again.code, 2, 'an existing file is not replaced without --force');
    const unknown = await cli('target', 'calibrate', '--from', 'tx9');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /--from: unknown target 'tx9'; did you mean 'tx2'\?/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('micro-benchmarks are timed as a model has them: the middle of three, or followed by a 1x1 conv', () => {
  const kinds = (m: ReturnType<typeof microModel>) => kernelsOf(Graph.fromModel(m), 13).map((k) => k.kind);
  const timed = (id: string) => timedModel(MICRO_BENCHES.find((b) => b.id === id)!);
  const conv = timed('conv3x3-64-at-52');
  assert.deepEqual(kinds(conv.model), ['conv', 'conv', 'conv']);
  assert.deepEqual(conv.names, ['conv1', 'c1', 'act1', 'y1']);
  const first = timed('conv3x3-3-to-32-at-208');
  assert.deepEqual(kinds(first.model), ['shallow', 'pointwise']);
  assert.deepEqual(first.names, ['conv0', 'c0', 'act0', 'y0']);
  assert.deepEqual(timed('silu-64-at-104').names, ['sig1', 's1', 'silu1', 'v1']);
  assert.deepEqual(timed('add-64-at-104').names, ['add1', 'v1']);
  assert.deepEqual(timed('maxpool-128-at-52').names, ['pool', 'y']);
});

test("onnxruntime's profiler times each kernel of a micro-benchmark under its layer's names, and leaves no file", async () => {
  const before = readdirSync(tmpdir()).filter((f) => f.startsWith('lithe-profile-')).length;
  const { model: m, names } = timedModel(MICRO_BENCHES.find((b) => b.id === 'conv1x1-64-at-4')!);
  const times = await timeKernels(m, { runs: 2, warmup: 1 });
  const ours = [...times].filter(([key]) => names.includes(key));
  assert.ok(ours.length >= 1 && ours.every(([, ms]) => ms > 0), JSON.stringify([...times]));
  assert.equal(readdirSync(tmpdir()).filter((f) => f.startsWith('lithe-profile-')).length, before);
});

test('convs on tiny maps fit the fixed cost of a kernel, not its rate', () => {
  const k = (macs: number) => ({ name: 'pw', kind: 'pointwise' as const, nodes: [], macs, depth: 256, activations: 0, reordered: 0, elementwise: {}, weights: 0, precision: 'int8' as const });
  // 400 GMAC/s and 10 us a kernel: the big ones set the rate, the tiny one (0.26 M MACs) the fixed cost
  const ms = (macs: number) => (macs / 400e9) * 1000 + 0.01;
  const samples: Sample[] = [1e8, 2e8, 4e8].map((macs, i) => ({ bench: `big${i}`, side: 52, kernel: k(macs), ms: ms(macs) }));
  samples.push({ bench: 'tiny', side: 4, kernel: k(2.6e5), ms: ms(2.6e5), fixed: true });
  samples.push({ bench: 'add', side: 1, kernel: { ...k(0), kind: 'memory', macs: 0, activations: 1e6, precision: 'fp32' }, ms: 0.4 });
  const f = fitFactors(samples, 0, 40, 'test');
  assert.ok(Math.abs(f.weighted_kernel_us!.int8! - 10) < 1, String(f.weighted_kernel_us!.int8));
  assert.ok(f.efficiency.int8!.pointwise! > 0.95);
});

test('the calibration fit finds the reduction length at which dense kernels run at half their rate', () => {
  const k = (depth: number, kind: Kernel['kind'] = 'pointwise') => ({ name: 'pw', kind, nodes: [], macs: 1e8, depth, activations: 0, reordered: 0, elementwise: {}, weights: 0, precision: 'int8' as const });
  // 400 GMAC/s at any length less a fixed cost per output element: half that at 100 (as onnxruntime's GEMMs ran here)
  const samples: Sample[] = [32, 64, 128, 256, 512, 1024].map((d) => ({ bench: `d${d}`, side: 1, kernel: k(d), ms: 1e8 / (400e9 * d / (d + 100)) * 1000 }));
  // a depthwise conv (length 9) is not a short GEMM: its rate is its own, and must not set the peak
  samples.push({ bench: 'dw', side: 1, kernel: k(9, 'depthwise'), ms: 1e8 / 100e9 * 1000 });
  samples.push({ bench: 'add', side: 1, kernel: { ...k(0), kind: 'memory', macs: 0, activations: 1e6, precision: 'fp32' }, ms: 0.4 });
  const f = fitFactors(samples, 0, 40, 'test');
  assert.ok(f.half_depth!.int8! >= 90 && f.half_depth!.int8! <= 110, String(f.half_depth!.int8));
  assert.ok(f.efficiency.int8!.pointwise! > 0.98, String(f.efficiency.int8!.pointwise));
  assert.ok(Math.abs(f.efficiency.int8!.depthwise! - 0.25) < 0.01, String(f.efficiency.int8!.depthwise));
  const tx = { ...loadTarget('x86'), latency: f };
  const ratio = timeKernel(k(64), tx, f).ms / timeKernel(k(512), tx, f).ms;
  const expected = depthShare(512, f.half_depth!.int8!) / depthShare(64, f.half_depth!.int8!);
  assert.ok(Math.abs(ratio - expected) < 0.01 * expected, `${ratio} against ${expected}`);
});
