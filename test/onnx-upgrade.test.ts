// Opset upgrade (src/onnx/upgrade/): each rule on a model written the way an old exporter wrote it — darknet →
// ONNX YOLOv3 for TensorRT's sample (opset 9, Upsample with a scales input, every initializer also a graph
// input at IR 3), PyTorch 1.x (opset 9 Upsample fed by a Constant node, opset 10 Resize), tf2onnx (Slice with
// attributes, Pad, Clip as ReLU6), Caffe2 (BatchNormalization with `spatial` at opset 7), ... Each is
// upgraded as it is loaded and must compute exactly what the original computes in onnxruntime; what cannot be
// upgraded faithfully is refused, naming the node.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ModelProto, NodeProto, TensorProto } from 'onnx-buf';
import { decodeModel, defaultOpset, encodeModel, loadModel, saveModel, upgradeNotesOf } from '../src/onnx/io.ts';
import { DataType, graph, model, node, tensor, valueInfo } from '../src/onnx/make.ts';
import { build, count, op, output, positive, weights, yolov3Trt, type Case } from './support/old-exports.ts';
import { upgradeModel, UpgradeError } from '../src/onnx/upgrade/index.ts';
import { upgradeRuleByOp, upgradeRules } from '../src/onnx/upgrade/registry.ts';
import { schemaAt } from '../src/onnx/schema/table.ts';
import { IR_OF_OPSET } from '../src/onnx/versions.ts';
import { STEPS, prepareModel } from '../src/onnx/prepare/index.ts';
import { mulberry32 } from '../src/util/random.ts';
import { fromHalfBits, toHalfBits } from '../src/onnx/half.ts';
import { main } from '../src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'lithe-upgrade-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function outputs(m: ModelProto, c: Case): Promise<Record<string, number[]>> {
  const r = mulberry32(7);
  const feeds = Object.fromEntries(Object.entries(c.inputs).map(([k, dims]) => [k, new ort.Tensor('float32', Float32Array.from({ length: count(dims) }, () => (r() * 2 - 1) * 4), dims)]));
  // unoptimised: onnxruntime fuses differently at different opsets (BatchNormalization-7 is not folded into
  // the Conv before it, -9 is), which moves the last bits of a float
  const s = await ort.InferenceSession.create(encodeModel(m), { logSeverityLevel: 4, graphOptimizationLevel: 'disabled' });
  const out = await s.run(feeds);
  return Object.fromEntries(c.outputs.map((o) => [o, Array.from(out[o]!.data as Float32Array)]));
}

const ops = (m: ModelProto): Set<string> => new Set(m.graph!.node.map((n) => n.opType));
const schemaOps = (): string[] => Object.keys((JSON.parse(readFileSync(new URL('../src/onnx/schema/op-schemas.json', import.meta.url), 'utf8')) as { ops: object }).ops);

/** One op on one input, as exporters of that opset wrote it. */
const single = (opset: number, n: NodeProto, x: number[], extra: Partial<Case> = {}): Case => ({
  opset, nodes: [n], inputs: { [n.input[0]!]: x }, outputs: n.output.filter(Boolean).slice(0, 1), ...extra,
});

const CASES: Record<string, Case> = {
  'YOLOv3 from darknet for TensorRT (opset 9: Upsample with a scales input, initializers as graph inputs, IR 4)': yolov3Trt(9),
  'the same at opset 7 (Upsample with a scales attribute, IR 3)': yolov3Trt(7),
  'the same at opset 10, where Upsample is deprecated and onnxruntime refuses it': { ...yolov3Trt(10), reference: 9 },
  'PyTorch 1.x, opset 9: Upsample whose scales come from a Constant node': {
    opset: 9, inputs: { x: [1, 2, 3, 5] }, outputs: ['y'],
    nodes: [node('Constant', [], ['scales'], { value: tensor('v', [4], Float32Array.of(1, 1, 2, 3)) }), op('Upsample', ['x', 'scales'], ['y'], { mode: 'nearest' })],
    has: ['Resize'], gone: ['Upsample'],
  },
  'Upsample, linear, fractional scales (opset 9)': {
    ...single(9, op('Upsample', ['x', 's'], ['y'], { mode: 'linear' }), [1, 2, 3, 4]), initializers: [tensor('s', [4], Float32Array.of(1, 1, 1.5, 2.5))], has: ['Resize'],
  },
  'Upsample to opset 11 (Resize with an empty roi tensor)': { ...yolov3Trt(9), to: 11, has: ['Resize'] },
  'Upsample to opset 10 (Resize-10: X and scales, the mode only)': { ...yolov3Trt(7), to: 10, has: ['Resize'] },
  'PyTorch 1.3, opset 10: Resize nearest, scales from a Constant': {
    opset: 10, inputs: { x: [1, 2, 3, 5] }, outputs: ['y'],
    nodes: [node('Constant', [], ['scales'], { value: tensor('v', [4], Float32Array.of(1, 1, 2, 2)) }), op('Resize', ['x', 'scales'], ['y'], { mode: 'nearest' })],
  },
  'Resize-10 nearest that shrinks (rounds up)': {
    ...single(10, op('Resize', ['x', 's'], ['y'], { mode: 'nearest' }), [1, 1, 7, 9]), initializers: [tensor('s', [4], Float32Array.of(1, 1, 0.6, 0.45))],
  },
  'Resize-10 linear, growing and shrinking': {
    ...single(10, op('Resize', ['x', 's'], ['y'], { mode: 'linear' }), [1, 1, 7, 9]), initializers: [tensor('s', [4], Float32Array.of(1, 1, 1.7, 0.45))],
  },
  'Resize-10 nearest that grows one axis and shrinks another: refused': {
    ...single(10, op('Resize', ['x', 's'], ['y'], { mode: 'nearest' }), [1, 1, 7, 9]), initializers: [tensor('s', [4], Float32Array.of(1, 1, 2, 0.5))],
    refused: /node 'y' \(Resize\).*enlarge some dimensions and shrink others/,
  },
  'Resize-10 nearest with scales computed at run time: refused': {
    opset: 10, inputs: { x: [1, 1, 4, 4], s: [4] }, outputs: ['y'], nodes: [op('Resize', ['x', 's'], ['y'], { mode: 'nearest' })],
    refused: /scales are computed at run time/,
  },
  'tf2onnx, opset 9: Slice with starts, ends and axes attributes (an end of INT_MAX, a negative start)': {
    ...single(9, op('Slice', ['x'], ['y'], { starts: [1, -3], ends: [2147483647, 4], axes: [1, 3] }), [2, 4, 3, 6]), has: ['Slice'],
  },
  'Slice without axes (opset 7)': single(7, op('Slice', ['x'], ['y'], { starts: [0, 1], ends: [1, 3] }), [2, 4]),
  'tf2onnx ReLU6, opset 9: Clip with min and max attributes': single(9, op('Clip', ['x'], ['y'], {}, { min: 0, max: 6 }), [2, 3, 4]),
  'Clip with only a max (opset 10)': single(10, op('Clip', ['x'], ['y'], {}, { max: 0.5 }), [2, 3, 4]),
  'Pad with pads and a constant value (opset 9)': single(9, op('Pad', ['x'], ['y'], { pads: [0, 0, 1, 2, 0, 0, 2, 1], mode: 'constant' }, { value: 1.5 }), [1, 2, 3, 3]),
  'Pad, reflect (opset 10)': single(10, op('Pad', ['x'], ['y'], { pads: [0, 0, 1, 1, 0, 0, 1, 1], mode: 'reflect' }), [1, 2, 3, 3]),
  'Caffe2, opset 7: BatchNormalization with spatial=1': {
    ...single(7, op('BatchNormalization', ['x', 's', 'b', 'm', 'v'], ['y'], { spatial: 1 }, { epsilon: 1e-3 }), [1, 3, 4, 4]),
    initializers: [positive('s', 3), weights('b', [3]), weights('m', [3]), positive('v', 3)],
  },
  'BatchNormalization with spatial=0: refused': {
    ...single(7, op('BatchNormalization', ['x', 's', 'b', 'm', 'v'], ['y'], { spatial: 0 }), [1, 3, 4, 4]),
    initializers: [positive('s', 3), weights('b', [3]), weights('m', [3]), positive('v', 3)], refused: /spatial=0/,
  },
  'Split with a split attribute (opset 11)': {
    opset: 11, inputs: { x: [2, 6, 3] }, outputs: ['a', 'b'], nodes: [op('Split', ['x'], ['a', 'b'], { axis: 1, split: [2, 4] })],
  },
  'Split in equal parts, no attribute (opset 9)': {
    opset: 9, inputs: { x: [2, 6, 3] }, outputs: ['a', 'b', 'c'], nodes: [op('Split', ['x'], ['a', 'b', 'c'], { axis: 1 })],
  },
  'Squeeze and Unsqueeze with axes attributes (opset 11)': {
    opset: 11, inputs: { x: [2, 1, 3, 1] }, outputs: ['z'], nodes: [op('Squeeze', ['x'], ['y'], { axes: [1, -1] }), op('Unsqueeze', ['y'], ['z'], { axes: [0, 3] })],
  },
  'ReduceSum with axes, keepdims 0 (opset 11), and with none (every axis)': {
    opset: 11, inputs: { x: [2, 3, 4] }, outputs: ['y', 'z'], nodes: [op('ReduceSum', ['x'], ['y'], { axes: [1, 2], keepdims: 0 }), op('ReduceSum', ['x'], ['z'])],
  },
  'an SSD head, opset 9: Softmax over [N, C, H, W] at the default axis 1 (the old 2-D meaning: Flatten + Softmax + Reshape)': {
    ...single(9, op('Softmax', ['x'], ['y']), [2, 3, 2, 2]), has: ['Flatten', 'Reshape'],
  },
  'Softmax over the class axis of [N, anchors, classes] (opset 10: axis 2, the last; no reshaping)': {
    ...single(10, op('Softmax', ['x'], ['y'], { axis: 2 }), [2, 5, 4]), gone: ['Flatten'],
  },
  'LogSoftmax with a symbolic shape and axis 1 of rank 3 (opset 11)': {
    opset: 11, inputs: { x: [2, 3, 4] }, outputs: ['y'], nodes: [op('LogSoftmax', ['x'], ['y'], { axis: 1 })], has: ['Flatten'], shapes: { y: [2, 3, 4] },
  },
  'Hardmax over [N, C, 1, 1] (opset 9: the dimensions after the axis are all 1; no reshaping)': {
    ...single(9, op('Hardmax', ['x'], ['y'], { axis: 1 }), [3, 5, 1, 1]), gone: ['Flatten'], shapes: { y: [3, 5, 1, 1] },
  },
  'Dropout with a ratio attribute (opset 7)': single(7, op('Dropout', ['x'], ['y'], {}, { ratio: 0.3 }), [2, 3], { shapes: { y: [2, 3] } }),
  'Dropout whose mask is read (opset 9: its type changes at 10): refused': {
    opset: 9, inputs: { x: [2, 3] }, outputs: ['z'], nodes: [op('Dropout', ['x'], ['y', 'mask']), op('Add', ['y', 'mask'], ['z'])], refused: /mask 'mask' is read/, shapes: { z: [2, 3] },
  },
  'TopK with a k attribute (opset 9)': { opset: 9, inputs: { x: [3, 7] }, outputs: ['v'], nodes: [op('TopK', ['x'], ['v', 'i'], { k: 3, axis: 1 })], shapes: { v: [3, 3] } },
  'Scatter (opset 10) → ScatterElements': {
    opset: 10, inputs: { x: [3, 4], u: [3, 2] }, outputs: ['y'], initializers: [tensor('i', [3, 2], BigInt64Array.of(0n, 3n, 1n, 2n, 3n, 0n))],
    nodes: [op('Scatter', ['x', 'i', 'u'], ['y'], { axis: 1 })], has: ['ScatterElements'], gone: ['Scatter'], shapes: { y: [3, 4] },
  },
  'an SSD-like body at opset 10 (MaxPool-8 with storage_order, AveragePool-7, Gemm-7, Flatten-9, Concat): unchanged ops': {
    opset: 10, inputs: { x: [1, 2, 6, 6] }, outputs: ['y'],
    initializers: [weights('w', [4, 2, 3, 3]), weights('fw', [3, 8]), weights('fb', [3])],
    nodes: [
      op('Conv', ['x', 'w'], ['c'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }), op('Relu', ['c'], ['r']),
      op('MaxPool', ['r'], ['p'], { kernel_shape: [2, 2], strides: [2, 2], storage_order: 0 }), op('AveragePool', ['r'], ['a'], { kernel_shape: [2, 2], strides: [2, 2] }),
      op('Concat', ['p', 'a'], ['cat'], { axis: 1 }), op('GlobalAveragePool', ['cat'], ['g']), op('Flatten', ['g'], ['f'], { axis: 1 }),
      op('Gemm', ['f', 'fw', 'fb'], ['y'], { transB: 1 }, { alpha: 1, beta: 1 }),
    ],
  },
};

for (const [name, c] of Object.entries(CASES)) {
  test(`upgrade: ${name}`, async () => {
    const file = join(dir, `${name.replace(/\W+/g, '_').slice(0, 60)}.onnx`);
    saveModel(build(c), file);
    const to = c.to ?? 13;
    if (c.refused) {
      assert.throws(() => loadModel(file, { opset: to }), (e: unknown) => e instanceof UpgradeError && c.refused!.test(e.message) && e.message.startsWith(file));
      return;
    }
    const up = loadModel(file, { opset: to });
    assert.equal(defaultOpset(up), to);
    assert.ok(Number(up.irVersion) >= IR_OF_OPSET[to]!, `IR ${up.irVersion}`);
    for (const o of c.has ?? []) assert.ok(ops(up).has(o), `the upgraded graph has ${o}`);
    for (const o of c.gone ?? []) assert.ok(!ops(up).has(o), `the upgraded graph has no ${o}`);
    assert.ok(upgradeNotesOf(up)[0]!.startsWith(`opset ${c.opset} → ${to}`));
    const want = await outputs(c.reference ? build(c, c.reference) : build(c), c);
    assert.deepEqual(await outputs(up, c), want);
    // the upgraded model survives a save and a plain load (no deprecated op, nothing left over)
    saveModel(up, file);
    assert.deepEqual(await outputs(loadModel(file), c), want);
  });
}

test('upgrade: Scan-8 (batched; its meaning changed at 9) is refused naming the node', () => {
  const body = graph('body', [op('Add', ['s', 'e'], ['s2']), op('Identity', ['s2'], ['o'])],
    [valueInfo('s', DataType.FLOAT, [2]), valueInfo('e', DataType.FLOAT, [2])], [valueInfo('s2', DataType.FLOAT, [2]), valueInfo('o', DataType.FLOAT, [2])]);
  const scan = node('Scan', ['', 'init', 'xs'], ['final', 'ys'], { num_scan_inputs: 1, body }, 'the_scan');
  const m = model(graph('g', [scan], [valueInfo('init', DataType.FLOAT, [1, 2]), valueInfo('xs', DataType.FLOAT, [1, 3, 2])], [valueInfo('final', DataType.FLOAT, [1, 2]), valueInfo('ys', DataType.FLOAT, [1, 3, 2])]), { opset: 8, irVersion: 3n });
  assert.throws(() => upgradeModel(m, 13, 'scan.onnx'), (e: unknown) => e instanceof UpgradeError
    && /^scan\.onnx: node 'the_scan' \(Scan\): cannot upgrade from opset 8 to 13: .*its meaning changed after$/.test(e.message));
});

test('upgrade: Clip on a float16 value gets float16 bounds (onnxruntime runs the old one in float32, so JS is the reference)', async () => {
  const c: Case = {
    opset: 9, inputs: { x: [2, 5] }, outputs: ['z'],
    nodes: [op('Cast', ['x'], ['h'], { to: DataType.FLOAT16 }), op('Clip', ['h'], ['c'], {}, { min: -1.5, max: 2.25 }), op('Cast', ['c'], ['z'], { to: DataType.FLOAT })],
  };
  const up = upgradeModel(build(c), 13).model;
  const bounds = up.graph!.initializer.filter((t) => /_m(in|ax)$/.test(t.name));
  assert.deepEqual(bounds.map((t) => [t.dataType, t.dims.length, [...new Uint16Array(new Uint8Array(t.rawData).buffer)].map(fromHalfBits)]), [[DataType.FLOAT16, 0, [-1.5]], [DataType.FLOAT16, 0, [2.25]]]);
  const r = mulberry32(7);
  const x = Array.from({ length: 10 }, () => (r() * 2 - 1) * 4);
  assert.deepEqual((await outputs(up, c)).z, x.map((v) => Math.min(2.25, Math.max(-1.5, fromHalfBits(toHalfBits(v))))));
});

test('upgrade: nodes inside subgraphs are upgraded too (an If whose branches squeeze with an axes attribute)', async () => {
  const branch = (name: string, axes: number[]) => graph(name, [op('Squeeze', ['x'], [`${name}_y`], { axes })], [], [output(`${name}_y`)]);
  const c: Case = {
    opset: 11, inputs: { x: [1, 3, 1] }, outputs: ['y'],
    initializers: [tensor('cond', [], Uint8Array.of(1), DataType.BOOL)],
    nodes: [node('If', ['cond'], ['y'], { then_branch: branch('then', [0]), else_branch: branch('else', [2]) })],
  };
  const up = upgradeModel(build(c), 13).model;
  const squeeze = up.graph!.node[0]!.attribute[0]!.g!.node[0]!;
  assert.equal(squeeze.input.length, 2);
  assert.deepEqual(await outputs(up, c), await outputs(build(c), c));
});

test('upgrade: the model given is left as it was, its weights shared, not copied', () => {
  const c = yolov3Trt(9);
  const m = build(c);
  const before = encodeModel(m);
  const up = upgradeModel(m, 13).model;
  assert.deepEqual(encodeModel(m), before);
  const w = (x: ModelProto) => x.graph!.initializer.find((t) => t.name === '001_convolutional_conv_weights')!.rawData;
  assert.equal(w(up).buffer, w(m).buffer);
  assert.equal(upgradeModel(up, 13).model, up); // at the opset already: nothing to do
});

test('upgrade: every op whose definition changes between opsets 7 and 13 has a rule (so the refusal of an op without one is a safeguard)', () => {
  const changed = [...schemaOps()].filter((o) => [7, 8, 9, 10, 11, 12].some((from) => {
    const [a, b] = [schemaAt(o, from), schemaAt(o, 13)];
    return a && b && (a.since !== b.since || b.deprecated);
  }));
  assert.ok(changed.length > 80, `${changed.length}`);
  assert.deepEqual(changed.filter((o) => !upgradeRuleByOp.has(o)), []);
});

test('upgrade: every rule has an id, a summary and ops; no op has two rules; the registry is sorted', () => {
  const ids = upgradeRules.map((r) => r.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => a.localeCompare(b)));
  const all = upgradeRules.flatMap((r) => r.ops);
  assert.equal(new Set(all).size, all.length);
  for (const r of upgradeRules) assert.ok(r.summary && r.ops.length, r.id);
});

test('upgrade is the first preparation step: a run\'s model of opset 9 reaches the passes at 13', () => {
  assert.equal(STEPS[0]!.id, 'upgrade');
  const { model: m, notes } = prepareModel(build(yolov3Trt(9)), { opset: 13, file: 'yolo.onnx' });
  assert.equal(defaultOpset(m), 13);
  assert.ok(notes.includes('upgrade: opset 9 → 13'), notes.join('\n'));
  assert.ok(notes.some((n) => /^upgrade: 1 Upsample node: .*Resize/.test(n)), notes.join('\n'));
  assert.equal(prepareModel(build(yolov3Trt(9)), {}).model.opsetImport[0]!.version, 9n); // no opset: no upgrade
});

test('lithe convert --opset 13 upgrades; without it the model keeps its opset; bad values and downgrades are refused', async () => {
  let out = '';
  const io = { out: (t: string) => { out += t; }, err: (t: string) => { out += t; } };
  const src = join(dir, 'yolo9.onnx');
  saveModel(build(yolov3Trt(9)), src);
  assert.equal(await main(['convert', src, join(dir, 'same.onnx')], io), 0);
  const same = decodeModel(readFileSync(join(dir, 'same.onnx')), 'same.onnx');
  assert.equal(defaultOpset(same), 9);
  assert.deepEqual(encodeModel(same), encodeModel(decodeModel(readFileSync(src), src)));
  assert.equal(await main(['convert', src, join(dir, 'up.onnx'), '--opset', '13'], io), 0);
  assert.match(out, /upgraded: opset 9 → 13/);
  assert.equal(defaultOpset(decodeModel(readFileSync(join(dir, 'up.onnx')), 'up.onnx')), 13);
  for (const bad of ['6', '14', 'x', '12.5']) {
    out = '';
    assert.equal(await main(['convert', src, join(dir, 'never.onnx'), '--opset', bad], io), 2, bad);
    assert.match(out, /--opset must be a whole number from 7 to 13/);
  }
  out = '';
  assert.equal(await main(['convert', join(dir, 'up.onnx'), join(dir, 'never.onnx'), '--opset', '11'], io), 2);
  assert.match(out, /at opset 13, newer than --opset 11; lithe does not downgrade/);
  // the deprecated Upsample of opset 10: refused as it is (onnxruntime refuses it), converted with --opset
  const ten = join(dir, 'yolo10.onnx');
  saveModel(build(yolov3Trt(10)), ten);
  out = '';
  assert.equal(await main(['convert', ten, join(dir, 'never.onnx')], io), 1);
  assert.match(out, /Upsample is deprecated since opset 10.*lithe convert --opset 13 rewrites it/);
  assert.equal(await main(['convert', ten, join(dir, 'ten13.onnx'), '--opset', '13'], io), 0);
});
