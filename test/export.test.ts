// export tensorrt and export mslite: golden export folders for a small zoo model (test/data/export/<case>/:
// the text files as written, the list of files, the cache's tensor names), the models checked by the
// project's verifier and loaded in onnxruntime, TensorRT's Q/DQ rules kept, the calibration cache read back
// and compared scale by scale, and refusals that name the node. `UPDATE_GOLDEN=1` rewrites the goldens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ModelProto } from 'onnx-buf';
import { zooByName } from '../src/zoo/registry.ts';
import { DataType, graph, model as makeModel, node, setMetadata, tensor, valueInfo } from '../src/onnx/make.ts';
import { decodeModel, encodeModel, loadModel } from '../src/onnx/io.ts';
import { verifyModel } from '../src/onnx/verify.ts';
import { Graph } from '../src/onnx/graph.ts';
import { tensorValues } from '../src/onnx/tensor.ts';
import { checkText } from '../src/plan/build.ts';
import { quantizeInt8 } from '../src/passes/quantize/int8.ts';
import { toFp16 } from '../src/passes/quantize/fp16.ts';
import { foldBatchNorms } from '../src/passes/fuse/fold.ts';
import { runExport } from '../src/passes/export/run.ts';
import { parseCalibrationCache } from '../src/passes/export/tensorrt/calib-cache.ts';
import { qdqProblems } from '../src/passes/export/tensorrt/qdq-rules.ts';
import { stripQdq } from '../src/passes/export/to-float.ts';
import { checkOps, loadOpTable } from '../src/targets/ops.ts';
import { PREPROCESS_KEY, preprocessRecord } from '../src/data/preprocess.ts';
import type { RunContext } from '../src/run/types.ts';
import type { Batch } from '../src/data/batches.ts';
import { checkerMissing, checkModels } from '../scripts/onnx-checker.ts';

const GOLDEN = 'test/data/export';
const updating = process.env.UPDATE_GOLDEN === '1';
const tmp = mkdtempSync(join(tmpdir(), 'lithe-export-'));
const SIZE = 64;

// deterministic images in the model's input range (0-1), NCHW
const image = (k: number) => Float32Array.from({ length: 3 * SIZE * SIZE }, (_, i) => ((i * 7919 + k * 104729) % 255) / 255);
const batches = (n: number): Batch[] => Array.from({ length: n }, (_, k) => ({ input: image(k), count: 1, targets: [], imageIds: [k] }));

function micro(): ModelProto {
  const m = zooByName.get('micro-yolo')!.build({ size: SIZE, classes: 9, seed: 0 });
  setMetadata(m, 'lithe.profile', 'micro-yolo');
  setMetadata(m, PREPROCESS_KEY, JSON.stringify(preprocessRecord(undefined)));
  return m;
}

const float = (() => { const m = micro(); const g = Graph.fromModel(m); foldBatchNorms(g); return g.toModel(m); })();
const int8 = (await quantizeInt8(micro(), batches(4).map((b) => b.input), { method: 'minmax', runtime: 'tensorrt', threads: 1 })).model;

/** Runs the export step of `recipe` (its last step) on `model` with a context that writes under tmp. */
async function exportWith(recipe: string, model: ModelProto, out: string) {
  const { plan, diagnostics } = checkText('e.cmp', recipe);
  assert.ok(plan, JSON.stringify(diagnostics));
  const step = plan.steps.at(-1)!;
  step.params.path = out;
  const ctx = {
    plan, dir: tmp, threads: 1, checkOutput: () => {}, log: () => {}, size: () => [SIZE, SIZE],
    data: () => ({ calibration: (count: number) => batches(count) }),
  } as unknown as RunContext;
  return runExport(step, ctx, model);
}

function listing(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? listing(p) : [relative(tmp, p).split('/').slice(1).join('/')];
  });
}

/** Compares (or, updating, writes) one golden text file. */
function golden(name: string, file: string, text: string): void {
  const path = join(GOLDEN, name, file);
  if (updating || !existsSync(path)) { mkdirSync(join(GOLDEN, name), { recursive: true }); writeFileSync(path, text); return; }
  assert.equal(text, readFileSync(path, 'utf8'), path);
}

async function runs(path: string): Promise<void> {
  const s = await ort.InferenceSession.create(readFileSync(path));
  const r = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', image(9), [1, 3, SIZE, SIZE]) });
  assert.equal(Object.keys(r).length, 2, `${path}: the two head outputs`);
}

function verified(path: string): ModelProto {
  const m = loadModel(path);
  assert.deepEqual(verifyModel(m, 13), [], path);
  return m;
}

const CASES = [
  { name: 'tensorrt-int8', recipe: 'target tx2\nexport tensorrt', model: int8, texts: ['build.sh', 'README.txt'] },
  { name: 'tensorrt-fp16', recipe: 'target tx2\nexport tensorrt', model: toFp16(float), texts: ['build.sh', 'README.txt'] },
  { name: 'mslite-int8', recipe: 'target kirin990\ndata synth\nquantize int8 calib 6 method minmax\nexport mslite', model: int8, texts: ['converter.cfg', 'convert.sh', 'npu-fallback.txt', 'README.txt'] },
  { name: 'mslite-fp16', recipe: 'target kirin990\nquantize fp16\nexport mslite', model: toFp16(micro()), texts: ['convert.sh', 'npu-fallback.txt', 'README.txt'] },
];

for (const c of CASES) {
  test(`golden export folder ${c.name}: its files, and its models pass the verifier and run in onnxruntime`, async () => {
    const out = join(tmp, c.name);
    const r = await exportWith(c.recipe, c.model, out);
    const files = listing(out);
    golden(c.name, 'files.txt', `${files.join('\n')}\n`);
    for (const f of c.texts) golden(c.name, f, readFileSync(join(out, f), 'utf8').replaceAll(out, 'OUT'));
    for (const f of files.filter((x) => x.endsWith('.onnx'))) { verified(join(out, f)); await runs(join(out, f)); }
    // the report lists every file (calibration images as their folder) with what it is
    const listed = (r.details!.files as { file: string; what: string }[]).map((f) => relative(out, f.file));
    assert.ok(files.every((f) => listed.includes(f) || listed.includes(f.split('/').slice(0, -1).join('/'))), JSON.stringify(listed));
    if (existsSync(join(out, 'calibration.cache'))) golden(c.name, 'cache-tensors.txt', `${[...parseCalibrationCache(readFileSync(join(out, 'calibration.cache'), 'utf8')).scales.keys()].join('\n')}\n`);
  });
}

test('tensorrt int8: Q/DQ as TensorRT takes it: int8 zero points all 0, weights per output channel on axis 0, activations per tensor', () => {
  const m = verified(join(tmp, 'tensorrt-int8', 'model.onnx'));
  const g = Graph.fromModel(m);
  assert.deepEqual(qdqProblems(g), []);
  const qdq = g.nodes.filter((n) => n.opType === 'DequantizeLinear');
  assert.ok(qdq.length > 20);
  for (const dq of qdq) {
    const zp = g.initializers.get(dq.input[2]!)!;
    assert.equal(zp.dataType, DataType.INT8, dq.name);
    assert.ok(tensorValues(zp)!.every((z) => z === 0), dq.name);
    const scale = g.initializers.get(dq.input[1]!)!;
    const weight = g.initializers.get(dq.input[0]!);
    if (!weight) assert.equal(scale.dims.length, 0, `${dq.name}: an activation, per tensor`);
    else if (scale.dims.length) {
      assert.equal(Number(dq.attribute.find((a) => a.name === 'axis')?.i ?? 1), 0, dq.name);
      assert.equal(Number(scale.dims[0]), Number(weight.dims[0]), dq.name);
    }
  }
});

test('tensorrt int8: the quantized inputs of each Concat share one scale (TensorRT fuses the concat only then)', () => {
  const g = Graph.fromModel(loadModel(join(tmp, 'tensorrt-int8', 'model.onnx')));
  const scaleOf = (v: string) => { const dq = g.producer(v); return dq?.opType === 'DequantizeLinear' ? tensorValues(g.initializers.get(dq.input[1]!)!)![0] : undefined; };
  const concats = g.nodes.filter((n) => n.opType === 'Concat' && n.input.some((v) => scaleOf(v) !== undefined));
  assert.ok(concats.length >= 1);
  for (const c of concats) assert.equal(new Set(c.input.map(scaleOf)).size, 1, `${c.name}: ${c.input.map(scaleOf).join(', ')}`);
});

test('the calibration cache parses back: TensorRT 8.2 header, one line per quantized activation, each scale the Q/DQ model\'s, bit for bit', () => {
  const text = readFileSync(join(tmp, 'tensorrt-int8', 'calibration.cache'), 'utf8');
  const { header, scales } = parseCalibrationCache(text);
  assert.equal(header, 'TRT-8203-EntropyCalibration2');
  const g = Graph.fromModel(int8);
  const qs = g.nodes.filter((n) => n.opType === 'QuantizeLinear' && !g.initializers.has(n.input[0]!));
  assert.equal(scales.size, new Set(qs.map((q) => q.input[0])).size);
  for (const q of qs) {
    const s = Math.fround(tensorValues(g.initializers.get(q.input[1]!)!)![0]!);
    assert.ok(scales.get(q.input[0]!)! >= s, `${q.input[0]}: ${scales.get(q.input[0]!)} vs ${s}`);
  }
  // where a tensor has a single quantizer (all but shared Concat inputs) the cache holds exactly its scale
  const single = qs.filter((q) => qs.filter((o) => o.input[0] === q.input[0]).length === 1);
  assert.ok(single.length > 20);
  for (const q of single) assert.equal(scales.get(q.input[0]!), Math.fround(tensorValues(g.initializers.get(q.input[1]!)!)![0]!), q.input[0]);
  for (const line of text.trim().split('\n').slice(1)) assert.match(line, /^[^:]+: [0-9a-f]{8}$/);
  // and the float model the cache is for reads every tensor it names
  const f = Graph.fromModel(loadModel(join(tmp, 'tensorrt-int8', 'model_float.onnx')));
  for (const name of scales.keys()) assert.ok(f.hasValue(name), name);
  assert.equal(f.nodes.some((n) => n.opType.endsWith('Linear')), false);
});

test('the float model under the Q/DQ computes what the Q/DQ model does, up to the activation rounding', async () => {
  const run = async (m: ModelProto) => {
    const s = await ort.InferenceSession.create(encodeModel(m));
    const r = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', image(1), [1, 3, SIZE, SIZE]) });
    return r[s.outputNames[0]!]!.data as Float32Array;
  };
  const [a, b] = [await run(int8), await run(stripQdq(int8).model)];
  const scale = Math.max(...a.map(Math.abs));
  const err = Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
  assert.ok(err < 0.25 * scale, `max difference ${err} for outputs up to ${scale}`);
});

// a one-node model of `op` reading `x`, to check the op tables node by node
function oneNode(op: string, attrs: Record<string, string | number>, extra: { inputs?: string[]; init?: ReturnType<typeof tensor>[] } = {}): ModelProto {
  const n = node(op, ['x', ...(extra.inputs ?? [])], ['y'], attrs, `my_${op.toLowerCase()}`);
  return makeModel(graph('g', [n], [valueInfo('x', DataType.FLOAT, [1, 3, 8, 8])], [valueInfo('y', DataType.FLOAT, [1, 3, 16, 16])], extra.init ?? []), { opset: 13 });
}

test('export tensorrt refuses what TensorRT 8.2 cannot import, naming each node and the alternative', async () => {
  const scales = tensor('scales', [4], Float32Array.of(1, 1, 2, 2));
  const cubic = oneNode('Resize', { mode: 'cubic' }, { inputs: ['', 'scales'], init: [scales] });
  await assert.rejects(exportWith('target tx2\nexport tensorrt', cubic, join(tmp, 'cubic')),
    /TensorRT 8\.2's ONNX parser cannot import these nodes \(1\):\n  node 'my_resize' \(Resize\): mode 'cubic' is not supported \(supported: nearest, linear\); instead: use mode linear/);
  const table = loadOpTable('tensorrt-8.2.yaml');
  const tf = oneNode('Resize', { coordinate_transformation_mode: 'tf_crop_and_resize', mode: 'linear' }, { inputs: ['', 'scales'], init: [scales] });
  assert.match(checkOps(Graph.fromModel(tf), table, 'error')[0]!.problem, /coordinate_transformation_mode 'tf_crop_and_resize' is not supported/);
  const nms = oneNode('NonZero', {});
  assert.deepEqual(checkOps(Graph.fromModel(nms), table, 'error').map((f) => f.problem), ["NonZero is not supported by TensorRT 8.2's ONNX parser"]);
  const conv = oneNode('Conv', {}, { inputs: ['x'] });
  assert.match(checkOps(Graph.fromModel(conv), table, 'error')[0]!.problem, /input 1 \('x'\) must be a constant/);
  assert.ok(!existsSync(join(tmp, 'cubic')), 'nothing written');
});

test('TensorRT\'s Q/DQ rules: uint8 or non-zero zero points, and activations per channel, are named', () => {
  const m = makeModel(graph('g', [
    node('QuantizeLinear', ['x', 's', 'zu'], ['q'], {}, 'q_uint8'),
    node('DequantizeLinear', ['q', 's', 'zu'], ['d'], {}, 'dq_uint8'),
    node('QuantizeLinear', ['d', 'sc', 'zc'], ['q2'], { axis: 1 }, 'q_channels'),
    node('DequantizeLinear', ['q2', 'sc', 'zc'], ['y'], { axis: 1 }, 'dq_channels'),
  ], [valueInfo('x', DataType.FLOAT, [1, 3, 4, 4])], [valueInfo('y', DataType.FLOAT, [1, 3, 4, 4])], [
    tensor('s', [], Float32Array.of(0.1)), tensor('zu', [], Uint8Array.of(128), DataType.UINT8),
    tensor('sc', [3], Float32Array.of(0.1, 0.2, 0.3)), tensor('zc', [3], Int8Array.of(0, 1, 0), DataType.INT8),
  ]), { opset: 13 });
  const p = qdqProblems(Graph.fromModel(m));
  assert.ok(p.some((l) => /node 'q_uint8' \(QuantizeLinear\) has a uint8 zero point/.test(l)), p.join('\n'));
  assert.ok(p.some((l) => /node 'q_uint8' \(QuantizeLinear\) has a non-zero zero point/.test(l)));
  assert.ok(p.some((l) => /node 'q_channels' \(QuantizeLinear\) quantizes an activation per channel/.test(l)));
  assert.ok(p.some((l) => /node 'dq_channels' \(DequantizeLinear\) has a non-zero zero point/.test(l)));
});

test('export mslite names each node the Kirin NPU does not run (they fall back to the CPU) and goes on', async () => {
  const shape = oneNode('Shape', {});
  shape.graph!.output[0] = valueInfo('y', DataType.INT64, [4]);
  const out = join(tmp, 'shape');
  const r = await exportWith('target kirin990\nexport mslite', shape, out);
  assert.equal(r.details!.cpu_fallback, 1);
  assert.match(readFileSync(join(out, 'npu-fallback.txt'), 'utf8'), /node 'my_shape' \(Shape\): the Kirin NPU \(MindSpore Lite NPU delegate\) does not run Shape: it falls back to the CPU; instead: fix the input size/);
  assert.equal(decodeModel(readFileSync(join(out, 'model.onnx')), 'm').graph!.node[0]!.opType, 'Shape');
});

test('the calibration BIN files hold the calibration images in NHWC float32', () => {
  const bin = readFileSync(join(tmp, 'mslite-int8', 'calibration', 'images', '0002.bin'));
  const got = new Float32Array(bin.buffer, bin.byteOffset, bin.byteLength / 4);
  const want = image(2);
  const hw = SIZE * SIZE;
  assert.equal(got.length, want.length);
  for (const i of [0, 1, 2, 3, 100, 3 * hw - 1]) assert.equal(got[i], want[(i % 3) * hw + Math.floor(i / 3)], `element ${i}`);
});

test('every exported ONNX file passes onnx.checker\'s full check (Debian\'s python3-onnx)', { skip: checkerMissing() }, () => {
  const paths = CASES.flatMap((c) => listing(join(tmp, c.name)).filter((f) => f.endsWith('.onnx')).map((f) => join(tmp, c.name, f)));
  assert.equal(paths.length, 5);
  const verdicts = checkModels(paths);
  for (const p of paths) assert.equal(verdicts.get(p)?.status, 'ok', `${p}: ${verdicts.get(p)?.message}`);
});

test('a model quantized for onnxruntime (uint8 activations) is refused by export tensorrt, naming the nodes and the fix', async () => {
  const ort8 = (await quantizeInt8(micro(), batches(2).map((b) => b.input), { method: 'minmax', runtime: 'onnxruntime', threads: 1 })).model;
  await assert.rejects(exportWith('target x86\nexport tensorrt', ort8, join(tmp, 'ort8')),
    (e: Error) => /Q\/DQ nodes break TensorRT's explicit-quantization rules; quantize for a target whose profile says `quantization.encoding: tensorrt`.*\n  node '[^']+' \(QuantizeLinear\) has a uint8 zero point; TensorRT takes signed int8 only/.test(e.message) && e.name === 'LitheError');
});

test('export mslite hands the converter a float32 model: no Q/DQ, no float16, outputs as the model\'s', async () => {
  for (const c of ['mslite-int8', 'mslite-fp16']) {
    const m = loadModel(join(tmp, c, 'model.onnx'));
    assert.equal(m.graph!.node.some((n) => /Linear$|^Cast$/.test(n.opType)), false, c);
    assert.equal(m.graph!.initializer.some((t) => t.dataType === DataType.FLOAT16), false, c);
  }
  const run = async (m: ModelProto | Uint8Array) => {
    const s = await ort.InferenceSession.create(m instanceof Uint8Array ? m : encodeModel(m));
    const r = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', image(3), [1, 3, SIZE, SIZE]) });
    return r[s.outputNames[0]!]!.data as Float32Array;
  };
  const [a, b] = [await run(micro()), await run(readFileSync(join(tmp, 'mslite-fp16', 'model.onnx')))];
  const err = Math.max(...a.map((v, i) => Math.abs(v - b[i]!) / (1 + Math.abs(v))));
  assert.ok(err < 0.02, `fp16 and back: relative difference ${err}`);
});

test('the export opset: an older model is upgraded to the target\'s 13, a newer one is refused naming the toolchain', async () => {
  const old = oneNode('Relu', {});
  old.opsetImport[0]!.version = 11n;
  old.graph!.output[0] = valueInfo('y', DataType.FLOAT, [1, 3, 8, 8]);
  await exportWith('target tx2\nexport tensorrt', old, join(tmp, 'old'));
  assert.equal(loadModel(join(tmp, 'old', 'model.onnx')).opsetImport.find((o) => !o.domain)!.version, 13n);
  const young = oneNode('Relu', {});
  young.opsetImport[0]!.version = 17n;
  young.irVersion = 8n;
  await assert.rejects(exportWith('target tx2\nexport tensorrt', young, join(tmp, 'young')), /the model is at opset 17; TensorRT 8\.2's ONNX parser reads opsets up to 13/);
});

test('export mslite with two inputs: convert.sh gives both shapes; int8 calibration refuses, naming them', async () => {
  const two = makeModel(graph('g', [node('Add', ['x', 'z'], ['y'], {}, 'add')],
    [valueInfo('x', DataType.FLOAT, ['batch', 3, 8, 8]), valueInfo('z', DataType.FLOAT, [1, 3, 8, 8])], [valueInfo('y', DataType.FLOAT, [1, 3, 8, 8])]), { opset: 13 });
  await exportWith('target kirin990\nexport mslite', two, join(tmp, 'two'));
  assert.match(readFileSync(join(tmp, 'two', 'convert.sh'), 'utf8'), /--inputShape="x:1,3,8,8;z:1,3,8,8" --fp16=on\n/);
  await assert.rejects(exportWith('target kirin990\ndata synth\nquantize int8\nexport mslite', two, join(tmp, 'two8')), /int8 calibration images feed one image input; the model has 2 \(x, z\)/);
  assert.ok(!existsSync(join(tmp, 'two8')), 'nothing written');
});
