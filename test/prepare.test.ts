// Graph preparation (src/onnx/prepare/): each step on the graphs exporters write, checked against onnxruntime
// (the prepared model computes what the original did), against the verifier, and against the promise that a
// model lithe built itself comes out untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clone, create } from '@bufbuild/protobuf';
import * as ort from 'onnxruntime-node';
import { AttributeProto_AttributeType as AT, AttributeProtoSchema, ModelProtoSchema, type ModelProto } from 'onnx-buf';
import { encodeModel, loadModel } from '../src/onnx/io.ts';
import { DataType, attr, getMetadata, graph, model, node, tensor, valueInfo } from '../src/onnx/make.ts';
import { PrepareError, prepareModel, STEPS } from '../src/onnx/prepare/index.ts';
import { constants } from '../src/onnx/prepare/constants.ts';
import { fold } from '../src/onnx/prepare/fold.ts';
import { input } from '../src/onnx/prepare/input.ts';
import { nhwc } from '../src/onnx/prepare/nhwc.ts';
import { verifyModel } from '../src/onnx/verify.ts';
import { declaredType } from '../src/onnx/shape/infer.ts';
import { Graph } from '../src/onnx/graph.ts';
import { modelStats } from '../src/onnx/stats.ts';
import { tensorValues } from '../src/onnx/tensor.ts';
import { zooByName } from '../src/zoo/registry.ts';
import { FOREIGN_STYLES, SIZE } from './support/foreign/index.ts';
import { int64ShapesModel } from './support/foreign/int64-shapes.ts';
import { dynamicModel } from './support/foreign/dynamic.ts';

/** A deterministic batch of `n` NCHW images at h x w, and the same batch NHWC. */
function images(n: number, h = SIZE, w = SIZE): { nchw: Float32Array; nhwc: Float32Array } {
  const nchw = Float32Array.from({ length: n * 3 * h * w }, (_, i) => ((i * 7919) % 255) / 255);
  const out = new Float32Array(nchw.length);
  for (let b = 0; b < n; b++) for (let c = 0; c < 3; c++) for (let p = 0; p < h * w; p++) out[b * 3 * h * w + p * 3 + c] = nchw[b * 3 * h * w + c * h * w + p]!;
  return { nchw, nhwc: out };
}

async function run(m: ModelProto, x: Float32Array, dims: number[]): Promise<Record<string, { dims: readonly number[]; data: Float32Array }>> {
  const s = await ort.InferenceSession.create(encodeModel(m));
  try {
    const r = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', x, dims) });
    return Object.fromEntries(s.outputNames.map((o) => [o, { dims: r[o]!.dims, data: r[o]!.data as Float32Array }]));
  } finally {
    await s.release();
  }
}

/** The prepared model computes what the original computed, on a batch of 2 (NHWC fed to an NHWC original). */
async function assertSameOutputs(before: ModelProto, after: ModelProto, o: { nhwc?: boolean; h?: number; w?: number } = {}): Promise<void> {
  const [h, w] = [o.h ?? SIZE, o.w ?? SIZE];
  const x = images(2, h, w);
  const a = await run(before, o.nhwc ? x.nhwc : x.nchw, o.nhwc ? [2, h, w, 3] : [2, 3, h, w]);
  const b = await run(after, x.nchw, [2, 3, h, w]);
  assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort());
  for (const k of Object.keys(a)) {
    assert.deepEqual(b[k]!.dims, a[k]!.dims, k);
    assert.deepEqual(b[k]!.data, a[k]!.data, `output ${k} differs`);
  }
}

test('the steps run in order: upgrade, constants, nhwc, input, batch, fold, head', () => {
  assert.deepEqual(STEPS.map((s) => s.id), ['upgrade', 'constants', 'nhwc', 'input', 'batch', 'fold', 'head']);
});

test('every zoo model and the baseline come out of preparation untouched', () => {
  for (const z of zooByName.values()) {
    const m = z.build({ size: z.stride * 2, classes: 3, seed: 0 });
    const r = prepareModel(m, { input: [z.stride * 2, z.stride * 2], requireSize: true });
    assert.deepEqual(r.notes, [], z.name);
    assert.equal(r.model, m, z.name);
  }
  const base = loadModel('models/shapes-yolo.onnx');
  const r = prepareModel(base, { requireSize: true });
  assert.deepEqual(r.notes, []);
  assert.equal(r.model, base);
});

for (const style of FOREIGN_STYLES) {
  test(`${style.id} (${style.summary}): prepared, verified, the same outputs, every weight counted`, async () => {
    const { model: m, params } = style.model({ litheHead: true });
    assert.deepEqual(verifyModel(m, 13), [], 'the exporter-style model itself is valid');
    const r = prepareModel(m, { input: [SIZE, SIZE], requireSize: true });
    assert.deepEqual(verifyModel(r.model, 13).map((p) => p.message), []);
    await assertSameOutputs(m, r.model, { nhwc: style.nhwc });
    const s = modelStats(Graph.fromModel(r.model), 13);
    assert.equal(s.params, params);
    assert.deepEqual(s.uncounted, []);
    assert.equal(s.macs, modelStats(Graph.fromModel(prepareModel(int64ShapesModel().model, { input: [SIZE, SIZE] }).model), 13).macs, 'the same layers, the same MACs');
    assert.ok(!r.model.graph!.node.some((n) => ['Constant', 'Shape', 'Gather', 'Identity'].includes(n.opType)), r.model.graph!.node.map((n) => n.opType).join(' '));
    // a second preparation finds nothing left to do
    assert.deepEqual(prepareModel(r.model, { input: [SIZE, SIZE], requireSize: true }).notes, []);
  });
}

test('constants: value, value_float(s) and value_int(s) become initializers of the output name; strings and graph outputs stay', () => {
  const c = (out: string, a: ReturnType<typeof attr>) => { const n = node('Constant', [], [out], {}, `make_${out}`); n.attribute = [a]; return n; };
  const str = create(AttributeProtoSchema, { name: 'value_string', type: AT.STRING, s: new TextEncoder().encode('hi') });
  const nodes = [
    c('w', attr('value', tensor('ignored', [2, 1, 1, 1], Float32Array.of(2, 3)))), c('f', attr('value_float', 0.5, true)),
    c('fs', attr('value_floats', [1, 2], true)), c('i', attr('value_int', 4)), c('is', attr('value_ints', [1, 2, 1, 1])),
    c('s', str), c('out2', attr('value_floats', [7], true)),
    node('Conv', ['x', 'w'], ['y'], {}, 'conv'), node('Mul', ['y', 'f'], ['out'], {}, 'mul'),
  ];
  const m = model(graph('g', nodes, [valueInfo('x', DataType.FLOAT, [1, 1, 2, 2])], [valueInfo('out', DataType.FLOAT, [1, 2, 2, 2]), valueInfo('out2', DataType.FLOAT, [1])]));
  const r = constants.run(m, {});
  const inits = new Map(r.model.graph!.initializer.map((t) => [t.name, t]));
  assert.deepEqual([...inits.keys()], ['w', 'f', 'fs', 'i', 'is']);
  assert.deepEqual([inits.get('w')!.dataType, inits.get('f')!.dataType, inits.get('i')!.dataType], [DataType.FLOAT, DataType.FLOAT, DataType.INT64]);
  assert.deepEqual(inits.get('is')!.dims, [4n]);
  assert.deepEqual(r.model.graph!.node.map((n) => n.output[0]), ['s', 'out2', 'y', 'out']);
  assert.equal(m.graph!.node.length, 9, 'the input model is not modified');
  assert.match(r.notes[0]!, /5 Constant nodes became initializers/);
  // IR 3 lists initializers among the graph inputs
  const old = constants.run({ ...m, irVersion: 3n } as ModelProto, {});
  assert.ok(['w', 'f', 'fs', 'i', 'is'].every((n) => old.model.graph!.input.some((i) => i.name === n)));
});

test('fold: computed values equal onnxruntime\'s, op by op (each result read by a node that stays)', async () => {
  const i64 = (name: string, dims: number[], v: number[]) => tensor(name, dims, BigInt64Array.from(v, BigInt));
  const f32 = (name: string, dims: number[], v: number[]) => tensor(name, dims, Float32Array.from(v));
  const cases: { what: string; nodes: ReturnType<typeof node>[]; inits: ReturnType<typeof tensor>[]; out: number[] }[] = [
    { what: 'float arithmetic', nodes: [node('Mul', ['a', 'b'], ['m']), node('Div', ['m', 'c'], ['d']), node('Sub', ['d', 'b'], ['k']), node('Sqrt', ['a'], ['q']), node('Add', ['k', 'q'], ['v'])],
      inits: [f32('a', [2, 3], [0.1, 0.2, 0.3, 1e-7, 3.3, 7]), f32('b', [3], [1 / 3, 0.7, 1e3]), f32('c', [1], [0.3])], out: [2, 3] },
    { what: 'integer division truncates', nodes: [node('Div', ['a', 'b'], ['d']), node('Cast', ['d'], ['v'], { to: DataType.FLOAT })],
      inits: [i64('a', [4], [7, -7, 9, -1]), i64('b', [4], [2, 2, -4, 3])], out: [4] },
    { what: 'gather, slice, concat, unsqueeze, squeeze', nodes: [
      node('Gather', ['a', 'i'], ['g'], { axis: 1 }), node('Slice', ['a', 's0', 's1', 's2', 's3'], ['sl']), node('Unsqueeze', ['g', 'ax'], ['u']),
      node('Squeeze', ['u', 'ax'], ['sq']), node('Concat', ['sq', 'sl'], ['c'], { axis: 1 }), node('Cast', ['c'], ['v'], { to: DataType.FLOAT })],
      inits: [i64('a', [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]), i64('i', [2], [3, -4]), i64('s0', [1], [-1]), i64('s1', [1], [-9_223_372_036_854_775_807]), i64('s2', [1], [1]), i64('s3', [1], [-2]), i64('ax', [1], [0])],
      out: [2, 4] },
    { what: 'transpose, reshape, expand, where, range, constant of shape', nodes: [
      node('Transpose', ['a'], ['t'], { perm: [1, 0] }), node('Reshape', ['t', 'sh'], ['r']), node('Expand', ['r', 'ex'], ['e']),
      node('Greater', ['e', 'z'], ['gt']), node('Where', ['gt', 'e', 'z'], ['w']), node('Range', ['r0', 'r1', 'r2'], ['rg']),
      node('ConstantOfShape', ['cs'], ['co'], { value: tensor('value', [1], Float32Array.of(0.25)) }), node('Add', ['w', 'rg'], ['w2']), node('Add', ['w2', 'co'], ['v'])],
      inits: [f32('a', [2, 3], [1, -2, 3, -4, 5, -6]), i64('sh', [2], [3, 2]), i64('ex', [3], [2, 3, 2]), f32('z', [], [0]), f32('r0', [], [0.5]), f32('r1', [], [2]), f32('r2', [], [1]), i64('cs', [1], [2])],
      out: [2, 3, 2] },
  ];
  for (const c of cases) {
    const nodes = [...c.nodes, node('Add', ['v', 'x'], ['y'], {}, 'reads')];
    const m = model(graph('g', nodes, [valueInfo('x', DataType.FLOAT, c.out)], [valueInfo('y', DataType.FLOAT, c.out)], c.inits));
    const r = fold.run(m, {});
    assert.deepEqual(r.model.graph!.node.map((n) => n.name), ['reads'], c.what);
    const zeros = new Float32Array(c.out.reduce((a, b) => a * b, 1));
    const [a, b] = [await run(m, zeros, c.out), await run(r.model, zeros, c.out)];
    assert.deepEqual(b.y!.data, a.y!.data, c.what);
  }
});

test('fold: a shape chain on a symbolic batch keeps the batch as 0 in the Reshape target and folds the rest', () => {
  const r = prepareModel(int64ShapesModel().model, { input: [SIZE, SIZE] });
  const g = Graph.fromModel(r.model);
  const targets = g.nodes.filter((n) => n.opType === 'Reshape').map((n) => tensorValues(g.initializers.get(n.input[1]!)!));
  assert.deepEqual(targets, [[0, 3, 14, 4, 4], [0, -1, 4, 4], [0, 3, 14, 8, 8], [0, -1, 8, 8]]);
  assert.equal(declaredType(g.inputs[0]!)!.shape![0], 'batch', 'the batch stays symbolic');
  assert.ok(r.notes.some((n) => /4 Reshape targets made constant/.test(n)), r.notes.join('\n'));
});

test('fold: without a fixed size, only the parts that do not depend on it fold; the model still runs', async () => {
  const m = int64ShapesModel().model;
  const r = fold.run(constants.run(m, {}).model, {});
  assert.ok(r.model.graph!.node.some((n) => n.opType === 'Shape'), 'height and width are not known');
  await assertSameOutputs(m, r.model);
});

test('input: a symbolic size without `input` is an error naming the input and the fix; with one it is fixed, non-square too', async () => {
  const { model: m } = dynamicModel();
  assert.throws(() => prepareModel(m, { requireSize: true, file: 'det.onnx' }), (e: Error) => e instanceof PrepareError
    && /^det\.onnx: input 'images' has no fixed size \(batch x 3 x height x width\): add `input N` or `input HxW`/.test(e.message));
  assert.deepEqual(prepareModel(m, {}).notes.filter((n) => !n.startsWith('head:')), [], 'left symbolic when nothing needs a size (lithe info)');
  const r = prepareModel(m, { input: [48, 64], requireSize: true });
  assert.deepEqual(declaredType(r.model.graph!.input[0]!)!.shape, ['batch', 3, 48, 64]);
  assert.deepEqual(r.notes.filter((n) => !n.startsWith('head:')), ["input: input 'images' fixed at batch x 3 x 48 x 64 (was batch x 3 x height x width)"]);
  await assertSameOutputs(m, r.model, { h: 48, w: 64 });
});

test('input: a fixed size that differs is changed where nothing depends on it, and refused by name where something does', async () => {
  const micro = zooByName.get('micro-yolo')!.build({ size: 64, classes: 3, seed: 0 });
  const r = prepareModel(micro, { input: [96, 128] });
  assert.deepEqual(r.notes, ["input: input 'images' resized from 64x64 to 96x128: no node depends on the size"]);
  assert.deepEqual(verifyModel(r.model, 13), []);
  await assertSameOutputs(r.model, r.model, { h: 96, w: 128 });
  // the constants-in-Constant style reshapes its stride-16 map to a fixed 4x4
  const { model: baked } = FOREIGN_STYLES.find((s) => s.id === 'constants')!.model();
  assert.throws(() => prepareModel(baked, { input: [128, 128], file: 'c.onnx' }), (e: Error) => e instanceof PrepareError
    && /^c\.onnx: the model's input 'input' is fixed at 64x64 and cannot take 128x128: node 'Reshape_16' \(Reshape\) cannot reshape batchx42x8x8 into batchx42x4x4/.test(e.message));
  const ssd = zooByName.get('ssd-lite')!.build({ size: 64, classes: 3, seed: 0 });
  assert.throws(() => prepareModel(ssd, { input: [128, 128] }), /SSD priors are laid out for its own size/);
  assert.throws(() => input.run(model(graph('g', [node('Relu', ['x'], ['y'])], [valueInfo('x', DataType.FLOAT, [1, 8])], [valueInfo('y', DataType.FLOAT, [1, 8])])), { input: [8, 8] }), /no image input/);
});

test('nhwc: without a leading Transpose, one back to NHWC is put after the input; lithe.layout records the original', async () => {
  // input → Mul (a normalisation) → Transpose → Conv: the Transpose is not the input's only reader
  const w = tensor('w', [4, 3, 3, 3], Float32Array.from({ length: 108 }, (_, i) => Math.sin(i)));
  const m = model(graph('tf', [
    node('Mul', ['x', 'k'], ['xn'], {}, 'norm'), node('Transpose', ['xn'], ['xt'], { perm: [0, 3, 1, 2] }, 'tr'),
    node('Conv', ['xt', 'w'], ['y'], { pads: [1, 1, 1, 1] }, 'conv'),
  ], [valueInfo('x', DataType.FLOAT, ['n', SIZE, SIZE, 3])], [valueInfo('y', DataType.FLOAT, ['n', 4, SIZE, SIZE])], [w, tensor('k', [], Float32Array.of(2))]));
  const r = nhwc.run(m, {});
  assert.deepEqual(declaredType(r.model.graph!.input[0]!)!.shape, ['n', 3, SIZE, SIZE]);
  assert.deepEqual(JSON.parse(getMetadata(r.model, 'lithe.layout')!), { input: 'x', original: 'NHWC', now: 'NCHW' });
  assert.match(r.notes[0]!, /a Transpose to NHWC put after it/);
  assert.deepEqual(verifyModel(r.model, 13), []);
  await assertSameOutputs(m, r.model, { nhwc: true });
  // an NCHW model, a grey one included, is left alone
  assert.equal(nhwc.run(dynamicModel().model, {}).model.graph!.input[0]!.name, 'images');
  const grey = model(graph('g', [node('Relu', ['x'], ['y'])], [valueInfo('x', DataType.FLOAT, [1, 1, 8, 8])], [valueInfo('y', DataType.FLOAT, [1, 1, 8, 8])]));
  assert.deepEqual(nhwc.run(grey, {}).notes, []);
});

test('batch: a batch fixed at 1 becomes symbolic where nothing depends on it, and stays 1 where a Reshape bakes it', async () => {
  const { model: m } = FOREIGN_STYLES.find((s) => s.id === 'constants')!.model();
  const fixed = (x: ModelProto) => { const c = clone(ModelProtoSchema, x); c.graph!.input[0] = valueInfo('input', DataType.FLOAT, [1, 3, SIZE, SIZE]); return c; };
  const one = fixed(m);
  const r = prepareModel(one, {});
  assert.deepEqual(r.notes.filter((n) => n.startsWith('batch')), ["batch: input 'input' takes any batch (it was fixed at 1; nothing in the graph depends on it)"]);
  assert.deepEqual(declaredType(r.model.graph!.input[0]!)!.shape, ['N', 3, SIZE, SIZE]);
  assert.deepEqual(r.model.graph!.output.map((o) => declaredType(o)!.shape![0]), ['N', 'N']);
  assert.deepEqual(verifyModel(r.model, 13), []);
  await assertSameOutputs(m, r.model);
  // the stride-16 map reshaped with a literal 1 for the batch: it stays 1
  const baked = fixed(m);
  const shape = baked.graph!.node.find((n) => n.output[0] === 'onnx::Reshape_shape')!;
  shape.attribute = [attr('value_ints', [1, 42, 4, 4])];
  const k = prepareModel(baked, {});
  assert.deepEqual(k.notes.filter((n) => n.startsWith('batch')), ["batch: input 'input' keeps its batch of 1: node 'Reshape_16' (Reshape) has the batch in its target; evaluation feeds it one image at a time"]);
  assert.deepEqual(declaredType(k.model.graph!.input[0]!)!.shape, [1, 3, SIZE, SIZE]);
});

test('fold: an initializer that is also a graph input (IR 4 on) is a default the caller may override, not a constant', () => {
  const m = model(graph('g', [node('Mul', ['k', 'k'], ['k2'], {}, 'square'), node('Add', ['x', 'k2'], ['y'], {}, 'add')],
    [valueInfo('x', DataType.FLOAT, [2]), valueInfo('k', DataType.FLOAT, [2])], [valueInfo('y', DataType.FLOAT, [2])], [tensor('k', [2], Float32Array.of(2, 3))]));
  assert.deepEqual(fold.run(m, {}).notes, []);
  const ir3 = fold.run({ ...m, irVersion: 3n } as ModelProto, {});
  assert.deepEqual(ir3.model.graph!.node.map((n) => n.name), ['add'], 'in IR 3 every initializer is listed as an input: a constant');
});
