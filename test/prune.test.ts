// Structured channel pruning: the dependency groups of every zoo model (golden listings in
// test/data/prune/groups/), concat offsets, residual groups, Split/Slice and depthwise convs on small built
// graphs, what cannot be followed, removal checked against the same model with those channels zeroed, every
// zoo model's backbone pruned by half, each criterion finding a planted unimportant channel, and allocation
// by fraction, flops, params, round, min and keep. `UPDATE_GOLDEN=1` rewrites the listings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import type { ModelProto } from 'onnx-buf';
import { Graph } from '../src/onnx/graph.ts';
import { NetBuilder } from '../src/onnx/builder.ts';
import { DataType, graph, model as makeModel, node, tensor, valueInfo } from '../src/onnx/make.ts';
import { encodeModel } from '../src/onnx/io.ts';
import { verify } from '../src/onnx/verify.ts';
import { modelStats } from '../src/onnx/stats.ts';
import { globRegExp, select } from '../src/onnx/select.ts';
import { checkText } from '../src/plan/build.ts';
import { createSession } from '../src/runtime/session.ts';
import { zooByName } from '../src/zoo/registry.ts';
import { mulberry32 } from '../src/util/random.ts';
import type { Batch } from '../src/data/batches.ts';
import { pruneGroups } from '../src/passes/prune/dependency/groups.ts';
import type { PruneGroup } from '../src/passes/prune/dependency/types.ts';
import { pruneChannels, removeChannels, type Removal } from '../src/passes/prune/apply.ts';
import { allocate, groupsInScope } from '../src/passes/prune/allocate.ts';
import { pruneModel } from '../src/passes/prune/prune-model.ts';
import { readFloats } from '../src/passes/prune/tensor.ts';
import { scoreContext } from '../src/passes/prune/criteria/context.ts';
import { byMean, scoreGroups } from '../src/passes/prune/criteria/combine.ts';
import { criterionById } from '../src/passes/prune/criteria/registry.ts';
import { alpha } from '../src/passes/prune/criteria/dynamic.ts';
import { updating } from './support/golden.ts';
import { parseCfg } from '../src/darknet/cfg.ts';
import { importDarknet } from '../src/darknet/import.ts';

// ── helpers ──

async function outputs(m: ModelProto, x: Float32Array, dims: number[]): Promise<ort.Tensor[]> {
  const s = await createSession(m);
  try {
    const r = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', x, dims) });
    return s.outputNames.map((o) => r[o]!);
  } finally {
    await s.release();
  }
}

function maxDiff(a: ort.Tensor[], b: ort.Tensor[]): number {
  assert.deepEqual(a.map((t) => t.dims), b.map((t) => t.dims));
  let d = 0;
  a.forEach((t, i) => { const [u, v] = [t.data as Float32Array, b[i]!.data as Float32Array]; for (let j = 0; j < u.length; j++) d = Math.max(d, Math.abs(u[j]! - v[j]!)); });
  return d;
}

const image = (size: number, seed = 7, channels = 3) => { const r = mulberry32(seed); return new Float32Array(channels * size * size).map(() => r()); };

/** A tensor of `m`'s graph with values changed by `f` (values, dims). */
function edit(g: Graph, name: string, f: (v: Float32Array, dims: number[]) => void): void {
  const t = g.initializers.get(name)!;
  const v = readFloats(t);
  const dims = t.dims.map(Number);
  f(v, dims);
  g.initializers.set(name, tensor(name, dims, v));
}

/** The model with the channels each removal drops set to exactly 0 where they are made: the producers' filters
 * and biases, BN gamma and beta (BN then outputs 0 whatever its input), depthwise filters. */
function zeroed(m: ModelProto, removals: readonly Removal[]): ModelProto {
  const g = Graph.fromModel(m);
  for (const { group, keep } of removals) {
    const kept = new Set(keep);
    for (const s of group.slices.filter((x) => ['filter', 'bias', 'gamma', 'beta', 'depthwise'].includes(x.role))) {
      edit(g, s.tensor, (v, dims) => {
        const inner = dims.slice(s.axis + 1).reduce((a, d) => a * d, 1);
        const outer = dims.slice(0, s.axis).reduce((a, d) => a * d, 1);
        for (let c = s.from; c < s.from + s.length; c++) {
          if (kept.has(c)) continue;
          const i = s.at + c - s.from;
          for (let o = 0; o < outer; o++) v.fill(0, (o * dims[s.axis]! + i) * inner, (o * dims[s.axis]! + i + 1) * inner);
        }
      });
    }
  }
  return g.toModel(m);
}

/** About half of each group's channels, at random (seeded). */
function halves(groups: readonly PruneGroup[], seed = 3): Removal[] {
  const r = mulberry32(seed);
  return groups.filter((x) => x.prunable).map((group) => {
    const keep = Array.from({ length: group.channels }, (_, i) => i).filter(() => r() < 0.5);
    return { group, keep: keep.length ? keep : [0] };
  });
}

/** Prunes `removals` from a copy of `m`: the pruned model, verified. */
function pruned(m: ModelProto, removals: (groups: PruneGroup[]) => Removal[]): { model: ModelProto; removals: Removal[] } {
  const g = Graph.fromModel(m);
  const rs = removals(pruneGroups(g));
  pruneChannels(g, rs);
  assert.deepEqual(verify(g, { opset: 13 }).map((p) => p.message), []);
  return { model: g.toModel(m), removals: rs };
}

/** Pruning the removals gives the outputs of the model with those channels zeroed. */
async function sameAsZeroed(m: ModelProto, removals: (groups: PruneGroup[]) => Removal[], dims: number[], tolerance = 1e-5): Promise<void> {
  const p = pruned(m, removals);
  const x = image(dims[2]!, 7, dims[1]);
  const [want, got, original] = await Promise.all([outputs(zeroed(m, p.removals), x, dims), outputs(p.model, x, dims), outputs(m, x, dims)]);
  assert.ok(maxDiff(want, got) <= tolerance, `pruned vs zeroed: ${maxDiff(want, got)}`);
  assert.ok(maxDiff(want, original) > 1e-3, 'zeroing changed the outputs (else the test proves nothing)');
}

const byId = (groups: PruneGroup[], id: string) => groups.find((x) => x.id === id)!;
const zoo = (name: string, size = 64) => zooByName.get(name)!.build({ size, classes: 3 });
const backbone = (name: string, m: ModelProto) => select({ scope: 'backbone' }, Graph.fromModel(m), checkText('p.cmp', `model zoo:${name}\n`).plan!.scopes);
const nodesMatching = (m: ModelProto, glob: string) => new Set(Graph.fromModel(m).nodes.filter((n) => globRegExp(glob).test(n.name)).map((n) => n.name));

/** Random calibration batches: images and a box or two each. */
function batches(n: number, count: number, size: number, seed = 11): Batch[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => ({
    input: new Float32Array(count * 3 * size * size).map(() => r()), count, imageIds: Array.from({ length: count }, (_, i) => i),
    targets: Array.from({ length: count }, () => {
      const [x, y] = [r() * size * 0.5, r() * size * 0.5];
      return { boxes: Float32Array.of(x, y, x + size * 0.4, y + size * 0.3), classes: Int32Array.of(Math.floor(r() * 2)) };
    }),
  }));
}

// ── dependency groups ──

/** One line per group: id, channels, producers (+bn), consumers@offset, node fixes, or why it cannot be pruned. */
function listing(groups: readonly PruneGroup[]): string {
  return groups.map((x) => {
    const head = `${x.id} ${x.channels}`;
    if (!x.prunable) return `${head} unprunable: ${x.reason}`;
    const fixes = [...new Set(x.fixes.map((f) => `${f.kind} ${f.node}`))];
    return `${head} value ${x.value}\n  producers ${x.producers.map((p) => p.node + (p.bn ? '+bn' : '')).join(' ')}\n  consumers ${x.consumers.map((c) => `${c.node}@${c.at}`).join(' ') || '-'}${fixes.length ? `\n  fixes ${fixes.join(', ')}` : ''}`;
  }).join('\n') + '\n';
}

for (const name of ['micro-yolo', 'ssd-lite', 'yolov3-tiny', 'yolov4-tiny', 'yolov5n']) {
  test(`${name}: dependency groups (test/data/prune/groups/${name}.txt)`, () => {
    const text = listing(pruneGroups(Graph.fromModel(zoo(name))));
    const file = `test/data/prune/groups/${name}.txt`;
    if (updating) { mkdirSync('test/data/prune/groups', { recursive: true }); writeFileSync(file, text); }
    assert.ok(existsSync(file), `${file} is missing: UPDATE_GOLDEN=1 writes it`);
    assert.equal(text, readFileSync(file, 'utf8'));
  });
}

test('activation-based criteria read the map after the activation: darknet\'s mish (Softplus, Tanh, Mul) and swish are followed', () => {
  for (const act of ['mish', 'swish', 'leaky']) {
    const cfg = `[net]\nwidth=32\nheight=32\n[convolutional]\nbatch_normalize=1\nfilters=8\nsize=3\npad=1\nactivation=${act}\n[convolutional]\nfilters=6\nsize=1\nactivation=linear\n[yolo]\nmask=0\nanchors=8,8\nclasses=1\n`;
    const groups = pruneGroups(Graph.fromModel(importDarknet(parseCfg(cfg, 'a.cfg'), 'a.cfg')));
    assert.equal(byId(groups, 'layers.000.conv').value, 'layers.000.out', act);
  }
});

/** a (4 channels) and b (6) concatenated, read by y: y's input channels 0-3 are a's, 4-9 are b's. */
function concatNet(): ModelProto {
  const b = new NetBuilder('concat', 8, 2);
  const a = b.conv(b.input, 'a', { out: 4, k: 1, act: 'relu' });
  const c = b.conv(b.input, 'b', { out: 6, k: 3, act: 'leaky' });
  return b.build([b.conv(b.concat([a, c], 'cat'), 'y', { out: 5, k: 1, bn: false, act: 'linear' })]);
}

test('concat: a consumer reads each group at its offset; removing channels slices its weight there', async () => {
  const m = concatNet();
  const groups = pruneGroups(Graph.fromModel(m));
  assert.deepEqual(byId(groups, 'a.conv').consumers, [{ node: 'y.conv', at: 0, from: 0, length: 4 }]);
  assert.deepEqual(byId(groups, 'b.conv').consumers, [{ node: 'y.conv', at: 4, from: 0, length: 6 }]);
  assert.equal(byId(groups, 'y.conv').prunable, false);
  const g = Graph.fromModel(m);
  removeChannels(g, byId(pruneGroups(g), 'b.conv'), [0, 2, 5]);
  assert.deepEqual(g.initializers.get('y.weight')!.dims.map(Number), [5, 7, 1, 1]);
  // y's input channels 4, 6 and 9 stay (b's 0, 2, 5)
  const before = readFloats(Graph.fromModel(m).initializers.get('y.weight')!);
  const after = readFloats(g.initializers.get('y.weight')!);
  assert.deepEqual([...after.slice(0, 7)], [0, 1, 2, 3, 4, 6, 9].map((i) => before[i]!));
  await sameAsZeroed(m, (gs) => [{ group: byId(gs, 'a.conv'), keep: [1, 3] }, { group: byId(gs, 'b.conv'), keep: [0, 2, 5] }], [1, 3, 8, 8]);
});

test('residual: the two sides of an Add are one group, removed together', async () => {
  const b = new NetBuilder('residual', 8, 3);
  const x = b.conv(b.input, 'a', { out: 6, k: 3, act: 'relu' });
  const y = b.conv(x, 'b', { out: 6, k: 3, act: 'relu' });
  const m = b.build([b.conv(b.add(x, y, 'sum'), 'c', { out: 4, k: 1, bn: false, act: 'linear' })]);
  const groups = pruneGroups(Graph.fromModel(m));
  const a = byId(groups, 'a.conv');
  assert.deepEqual(a.producers.map((p) => p.node), ['a.conv', 'b.conv']);
  assert.deepEqual(a.consumers.map((c) => c.node), ['b.conv', 'c.conv']);
  assert.ok(!groups.some((x) => x.id === 'b.conv'), 'b is not a group of its own');
  await sameAsZeroed(m, (gs) => [{ group: byId(gs, 'a.conv'), keep: [0, 4, 5] }], [1, 3, 8, 8]);
});

/** conv a (4) and ConvTranspose b (5) concatenated, then one BN and Relu over the 9 channels, read by a
 * ConvTranspose y: BN parameters and y's weight hold both groups, at offsets 0 and 4. */
function transposeNet(): ModelProto {
  const r = mulberry32(8);
  const w = (name: string, dims: number[], base = -0.5) => tensor(name, dims, new Float32Array(dims.reduce((a, d) => a * d, 1)).map(() => r() + base));
  const nodes = [
    node('Conv', ['images', 'a.w'], ['a'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, 'a'),
    node('ConvTranspose', ['images', 'b.w', 'b.b'], ['b'], { kernel_shape: [1, 1] }, 'b'),
    node('Concat', ['a', 'b'], ['cat'], { axis: 1 }, 'cat'),
    node('BatchNormalization', ['cat', 'bn.g', 'bn.b', 'bn.m', 'bn.v'], ['cat.bn'], {}, 'cat.bn'),
    node('Relu', ['cat.bn'], ['cat.out'], {}, 'cat.act'),
    node('ConvTranspose', ['cat.out', 'y.w'], ['y'], { kernel_shape: [2, 2], strides: [2, 2] }, 'y'),
  ];
  const inits = [w('a.w', [4, 3, 3, 3]), w('b.w', [3, 5, 1, 1]), w('b.b', [5]), w('bn.g', [9]), w('bn.b', [9]), w('bn.m', [9]), w('bn.v', [9], 0.5), w('y.w', [9, 2, 2, 2])];
  return makeModel(graph('transpose', nodes, [valueInfo('images', DataType.FLOAT, ['N', 3, 8, 8])], [valueInfo('y', DataType.FLOAT, ['N', 2, 16, 16])], inits));
}

test('ConvTranspose and a BN after a Concat: weights sliced on their channel axes, BN at each group\'s offset', async () => {
  const m = transposeNet();
  const groups = pruneGroups(Graph.fromModel(m));
  const b = byId(groups, 'b');
  assert.deepEqual(b.slices.filter((s) => s.tensor !== 'b.b').map((s) => [s.tensor, s.axis, s.at, s.role]), [
    ['b.w', 1, 0, 'filter'], ['bn.g', 0, 4, 'gamma'], ['bn.b', 0, 4, 'beta'], ['bn.m', 0, 4, 'mean'], ['bn.v', 0, 4, 'var'], ['y.w', 0, 4, 'input'],
  ]);
  assert.equal(byId(groups, 'a').producers[0]!.bn, undefined, 'a BN after a Concat belongs to no single producer');
  await sameAsZeroed(m, (gs) => [{ group: byId(gs, 'a'), keep: [0, 3] }, { group: byId(gs, 'b'), keep: [1, 2, 4] }], [1, 3, 8, 8]);
});

/** conv a (8 channels) → BN → Relu → Split [3, 5] → p, q; Slice [2:6] → r; Split into equal halves → s, t. */
function splitNet(): ModelProto {
  const r = mulberry32(4);
  const w = (name: string, dims: number[]) => tensor(name, dims, new Float32Array(dims.reduce((a, d) => a * d, 1)).map(() => r() - 0.5));
  const ints = (name: string, v: number[]) => tensor(name, [v.length], BigInt64Array.from(v.map(BigInt)));
  const conv = (x: string, name: string) => node('Conv', [x, `${name}.w`], [name], { kernel_shape: [1, 1] }, name);
  const nodes = [
    node('Conv', ['images', 'a.w'], ['a'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, 'a'),
    node('BatchNormalization', ['a', 'bn.g', 'bn.b', 'bn.m', 'bn.v'], ['a.bn'], {}, 'a.bn'),
    node('Relu', ['a.bn'], ['a.out'], {}, 'a.act'),
    node('Split', ['a.out', 'sizes'], ['s0', 's1'], { axis: 1 }, 'split'),
    node('Slice', ['a.out', 'starts', 'ends', 'axes'], ['sl'], {}, 'slice'),
    node('Split', ['a.out'], ['h0', 'h1'], { axis: -3 }, 'halves'),
    conv('s0', 'p'), conv('s1', 'q'), conv('sl', 'r'), conv('h0', 's'), conv('h1', 't'),
  ];
  const inits = [w('a.w', [8, 3, 3, 3]), w('bn.g', [8]), w('bn.b', [8]), w('bn.m', [8]), tensor('bn.v', [8], new Float32Array(8).fill(1)),
    ints('sizes', [3, 5]), ints('starts', [2]), ints('ends', [6]), ints('axes', [1]),
    w('p.w', [2, 3, 1, 1]), w('q.w', [2, 5, 1, 1]), w('r.w', [2, 4, 1, 1]), w('s.w', [2, 4, 1, 1]), w('t.w', [2, 4, 1, 1])];
  const outs = ['p', 'q', 'r', 's', 't'].map((o) => valueInfo(o, DataType.FLOAT, ['N', 2, 8, 8]));
  return makeModel(graph('split', nodes, [valueInfo('images', DataType.FLOAT, ['N', 3, 8, 8])], outs, inits));
}

test('split and slice on the channel axis: consumers map through them; sizes and bounds are rewritten', async () => {
  const m = splitNet();
  const a = byId(pruneGroups(Graph.fromModel(m)), 'a');
  assert.deepEqual(a.consumers, [
    { node: 'p', at: 0, from: 0, length: 3 }, { node: 'q', at: 0, from: 3, length: 5 }, { node: 'r', at: 0, from: 2, length: 4 },
    { node: 's', at: 0, from: 0, length: 4 }, { node: 't', at: 0, from: 4, length: 4 },
  ]);
  const keep = [0, 1, 4, 6, 7];
  const g = Graph.fromModel(m);
  removeChannels(g, byId(pruneGroups(g), 'a'), keep);
  const constant = (n: string, i: number) => [...(readInts(g, g.node(n)!.input[i]!))];
  assert.deepEqual(constant('split', 1), [2, 3]);
  assert.deepEqual([constant('slice', 1), constant('slice', 2)], [[2], [3]]);
  assert.deepEqual(constant('halves', 1), [2, 3]);
  assert.ok(!g.initializers.has('sizes') && !g.initializers.has('starts'), 'replaced constants are dropped');
  await sameAsZeroed(m, (gs) => [{ group: byId(gs, 'a'), keep }], [1, 3, 8, 8]);
});

function readInts(g: Graph, name: string): number[] {
  const t = g.initializers.get(name)!;
  return [...new BigInt64Array(t.rawData.slice().buffer)].map(Number);
}

test('depthwise convs follow their input channels; their group attribute is rewritten', async () => {
  const b = new NetBuilder('dw', 8, 5);
  const x = b.conv(b.input, 'a', { out: 6, k: 1, act: 'relu' });
  const m = b.build([b.conv(b.dw(x, 'd', { k: 3 }), 'y', { out: 4, k: 1, bn: false, act: 'linear' })]);
  const a = byId(pruneGroups(Graph.fromModel(m)), 'a.conv');
  assert.deepEqual(a.consumers.map((c) => c.node), ['y.conv']);
  assert.deepEqual([...new Set(a.slices.map((s) => `${s.node}:${s.role}`))], ['a.conv:filter', 'a.bn:gamma', 'a.bn:beta', 'a.bn:mean', 'a.bn:var', 'd.conv:depthwise', 'd.bn:gamma', 'd.bn:beta', 'd.bn:mean', 'd.bn:var', 'y.conv:input']);
  const p = pruned(m, (gs) => [{ group: byId(gs, 'a.conv'), keep: [1, 2, 5] }]);
  const dw = p.model.graph!.node.find((n) => n.name === 'd.conv')!;
  assert.equal(Number(dw.attribute.find((x) => x.name === 'group')!.i), 3);
  await sameAsZeroed(m, (gs) => [{ group: byId(gs, 'a.conv'), keep: [1, 2, 5] }], [1, 3, 8, 8]);
});

test('what the analysis cannot follow makes a group unprunable, naming why', () => {
  const b = new NetBuilder('odd', 8, 6);
  const x = b.conv(b.input, 'a', { out: 6, k: 1, act: 'relu' });
  const grouped = b.conv(x, 'g', { out: 4, k: 1, groups: 2, act: 'relu' });
  const flat = b.rows(b.conv(x, 'h', { out: 4, k: 1, act: 'relu' }), 'rows', 4);
  const m = b.build([grouped, flat, b.conv(x, 'out', { out: 3, k: 1, bn: false, act: 'linear' })]);
  const groups = pruneGroups(Graph.fromModel(m));
  const why = (id: string) => { const x = byId(groups, id); assert.equal(x.prunable, false, id); return x.reason!; };
  assert.match(why('a.conv'), /'g.conv' is a grouped convolution/);
  assert.match(why('g.conv'), /grouped/);
  assert.match(why('h.conv'), /'rows.transpose' \(Transpose\)/);
  assert.match(why('out.conv'), /graph output/);
  const g = Graph.fromModel(m);
  assert.throws(() => removeChannels(g, byId(pruneGroups(g), 'h.conv'), [0, 1]), /cannot be pruned.*Transpose/);
});

// ── removing channels ──

test('pruning nothing changes nothing: bit-identical outputs, and the input model is not modified', async () => {
  const m = zoo('micro-yolo');
  const bytes = encodeModel(m);
  const none = pruned(m, (gs) => gs.filter((x) => x.prunable).map((group) => ({ group, keep: Array.from({ length: group.channels }, (_, i) => i) })));
  const x = image(64);
  assert.equal(maxDiff(await outputs(m, x, [1, 3, 64, 64]), await outputs(none.model, x, [1, 3, 64, 64])), 0);
  const r = await pruneModel(m, { scope: backbone('micro-yolo', m), criterion: ['l1'], amount: 0.0001 });
  assert.ok(r.layers.every((l) => l.after === l.before));
  assert.equal(maxDiff(await outputs(m, x, [1, 3, 64, 64]), await outputs(r.model, x, [1, 3, 64, 64])), 0);
  await pruneModel(m, { scope: backbone('micro-yolo', m), criterion: ['l1'], amount: 0.5 });
  assert.deepEqual(encodeModel(m), bytes);
});

// yolov4-tiny: channel-group routes (Slice); yolov4: mish, residual chains across CSP blocks, SPP
for (const name of ['micro-yolo', 'yolov3-tiny', 'yolov4-tiny', 'yolov4', 'yolov5n', 'ssd-lite']) {
  test(`${name}: removing zeroed channels (half of every group) leaves the outputs unchanged`, async () => {
    await sameAsZeroed(zoo(name), (gs) => halves(gs), [1, 3, 64, 64]);
  });
}

const SHAPES: Record<string, number[][]> = {
  'micro-yolo': [[1, 24, 2, 2], [1, 24, 4, 4]],
  'ssd-lite': [[1, 96, 4], [1, 96, 4]],
  'yolov3-tiny': [[1, 24, 2, 2], [1, 24, 4, 4]],
  yolov5n: [[1, 24, 8, 8], [1, 24, 4, 4], [1, 24, 2, 2]],
  yolov3: [[1, 24, 2, 2], [1, 24, 4, 4], [1, 24, 8, 8]],
  'yolov4-tiny': [[1, 24, 2, 2], [1, 24, 4, 4]],
  yolov4: [[1, 24, 8, 8], [1, 24, 4, 4], [1, 24, 2, 2]],
};

for (const name of Object.keys(SHAPES)) {
  test(`${name}: half of the backbone pruned by l1 verifies and runs with the same output shapes`, async () => {
    const m = zoo(name);
    const scope = backbone(name, m);
    const r = await pruneModel(m, { scope, criterion: ['l1'], amount: 0.5 });
    assert.deepEqual(verify(Graph.fromModel(r.model), { opset: 13 }), []);
    assert.ok(r.layers.length > 0 && r.layers.every((l) => Math.abs(l.after - l.before / 2) <= 0.5), JSON.stringify(r.layers));
    // every pruned group has a producer in the backbone
    const names = new Set([...scope].map((n) => n.name));
    const groups = pruneGroups(Graph.fromModel(m));
    assert.ok(r.layers.every((l) => byId(groups, l.group).producers.some((p) => names.has(p.node))));
    assert.ok(r.after.params < r.before.params && r.after.macs < r.before.macs);
    const out = await outputs(r.model, image(64), [1, 3, 64, 64]);
    assert.deepEqual(out.map((t) => t.dims), SHAPES[name]);
    assert.ok(out.every((t) => (t.data as Float32Array).every(Number.isFinite)));
  });
}

// ── criteria: each ranks a planted unimportant channel lowest ──

/** conv a (8 channels, 3x3, BN, relu) → conv y (4, 1x1): `plant` edits a's weights. */
function plantedNet(plant: (g: Graph) => void): ModelProto {
  const b = new NetBuilder('planted', 16, 9);
  const a = b.conv(b.input, 'a', { out: 8, k: 3, act: 'relu' });
  const m = b.build([b.conv(a, 'y', { out: 4, k: 1, bn: false, act: 'linear' })]);
  const g = Graph.fromModel(m);
  // BN statistics that are not the identity, so that γ and β matter as they would after training
  edit(g, 'a.gamma', (v) => v.forEach((_, i) => { v[i] = 0.8 + 0.05 * i; }));
  edit(g, 'a.beta', (v) => v.forEach((_, i) => { v[i] = 0.1 * (i % 3); }));
  plant(g);
  return g.toModel(m);
}

async function scores(id: string, m: ModelProto, opts: { batches?: Batch[]; seed?: number; group?: string } = {}): Promise<Float32Array> {
  const g = Graph.fromModel(m);
  const groups = pruneGroups(g).filter((x) => x.prunable);
  const group = byId(groups, opts.group ?? 'a.conv');
  return criterionById.get(id)!.score(group, scoreContext(m, g, [group], 13, opts));
}

const lowest = (s: Float32Array) => s.indexOf(Math.min(...s));
/** Filter c of conv a as a row of 27 values. */
const row = (v: Float32Array, c: number) => v.subarray(c * 27, (c + 1) * 27);

const PLANTS: Record<string, (g: Graph) => void> = {
  l1: (g) => edit(g, 'a.weight', (v) => row(v, 3).forEach((x, i, r) => { r[i] = x * 0.01; })),
  bn: (g) => edit(g, 'a.gamma', (v) => { v[3] = 0.01; }),
  // the mean of the other filters: the geometric median is near it
  fpgm: (g) => edit(g, 'a.weight', (v) => {
    const mean = new Float32Array(27);
    for (let c = 0; c < 8; c++) if (c !== 3) row(v, c).forEach((x, i) => { mean[i]! += x / 7; });
    row(v, 3).set(mean);
  }),
  // filters ±s_c (s = 1, 2, 3, ., 4, ...) with filter 3 = 0.9 x filter 4: a near twin, though filter 0 is weaker
  similarity: (g) => edit(g, 'a.weight', (v) => {
    const r = mulberry32(2);
    const scale = [1, 2, 3, 3.6, 4, 5, 6, 7];
    for (let c = 0; c < 8; c++) row(v, c).forEach((_, i, rr) => { rr[i] = (r() < 0.5 ? -1 : 1) * scale[c]! * 0.1; });
    row(v, 3).forEach((_, i, rr) => { rr[i] = 0.9 * row(v, 4)[i]!; });
  }),
  // a dead channel: γ = β = 0, so it is exactly 0 after BN and relu
  dead: (g) => { edit(g, 'a.gamma', (v) => { v[3] = 0; }); edit(g, 'a.beta', (v) => { v[3] = 0; }); },
  // filter 3 copies filter 5 with a small γ: its map is channel 5's, scaled down
  twin: (g) => {
    edit(g, 'a.weight', (v) => row(v, 3).set(row(v, 5)));
    edit(g, 'a.gamma', (v) => { v[3] = 0.05; });
    edit(g, 'a.beta', (v) => { v[3] = (v[5]! * 0.05) / (0.8 + 0.05 * 5); });
  },
};

const CASES: [criterion: string, plant: string, data: boolean][] = [
  ['l1', 'l1', false], ['l2', 'l1', false], ['bn', 'bn', false], ['fpgm', 'fpgm', false], ['similarity', 'similarity', false],
  ['entropy', 'dead', true], ['dynamic', 'twin', true], ['dynamic', 'twin', false],
];

for (const [id, plant, data] of CASES) {
  test(`criterion ${id} ranks a planted channel (${plant}) lowest${data ? ' on calibration images' : ''}`, async () => {
    const s = await scores(id, plantedNet(PLANTS[plant]!), data ? { batches: batches(2, 3, 16) } : {});
    assert.equal(s.length, 8);
    assert.equal(lowest(s), 3, `scores ${[...s].map((v) => v.toFixed(3)).join(' ')}`);
  });
}

test('criterion similarity is not l1: the weakest filter is not the one with a twin', async () => {
  const m = plantedNet(PLANTS.similarity!);
  assert.equal(lowest(await scores('l1', m)), 0);
  assert.equal(lowest(await scores('similarity', m)), 3);
});

test('criterion entropy: a dead channel scores 0, the others lie in (0, 1]', async () => {
  const s = await scores('entropy', plantedNet(PLANTS.dead!), { batches: batches(2, 3, 16) });
  assert.equal(s[3], 0);
  assert.ok([...s].every((v, i) => i === 3 || (v > 0 && v <= 1)), [...s].join(' '));
});

// Entropy is over images (each image's mean per channel), not over the values of one map: shown the same
// image six times, no channel varies, however varied each map is within the image.
test('criterion entropy: every channel scores 0 when all calibration images are the same image', async () => {
  const one = batches(1, 1, 16)[0]!;
  const same = [0, 1].map(() => ({ ...one, input: new Float32Array(3 * one.input.length).map((_, i) => one.input[i % one.input.length]!), count: 3, imageIds: [0, 1, 2], targets: [0, 1, 2].map(() => one.targets[0]!) }));
  const s = await scores('entropy', plantedNet(PLANTS.dead!), { batches: same });
  assert.deepEqual([...s], new Array(8).fill(0));
});

test('criterion dynamic: the weight moves from BN scale (0.7) to independence (0.3) over iterations', () => {
  assert.deepEqual([0, 1, 2].map((iteration) => Number(alpha({ iteration, iterations: 3 }).toFixed(6))), [0.7, 0.5, 0.3]);
  assert.equal(alpha({ iteration: 0, iterations: 1 }), 0.7);
});

test('criterion taylor ranks a dead channel lowest, from YOLO-loss gradients on micro-yolo', async () => {
  const m0 = zooByName.get('micro-yolo')!.build({ size: 64, classes: 2, seed: 4 });
  const g = Graph.fromModel(m0);
  edit(g, 'layers.000.gamma', (v) => { v[3] = 0; });
  edit(g, 'layers.000.beta', (v) => { v[3] = 0; });
  const s = await scores('taylor', g.toModel(m0), { batches: batches(2, 2, 64), group: 'layers.000.conv' });
  assert.equal(s.length, 16);
  assert.equal(s[3], 0);
  assert.ok([...s].every((v, i) => i === 3 || v > 0), [...s].join(' '));
});

test('criterion random: seeded, reproducible, different for another seed', async () => {
  const m = plantedNet(() => {});
  const [a, b, c] = await Promise.all([scores('random', m, { seed: 1 }), scores('random', m, { seed: 1 }), scores('random', m, { seed: 2 })]);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('criteria joined with + are each divided by their group mean and summed', async () => {
  const m = plantedNet(PLANTS.bn!);
  const g = Graph.fromModel(m);
  const groups = pruneGroups(g).filter((x) => x.prunable);
  const ctx = scoreContext(m, g, groups, 13);
  const combined = (await scoreGroups(['l1', 'bn'], groups, ctx)).get('a.conv')!;
  const [l1, bn] = await Promise.all([scores('l1', m), scores('bn', m)]);
  const want = byMean(l1).map((v, i) => v + byMean(bn)[i]!);
  combined.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-5));
  assert.equal(lowest(combined), 3);
  // one comparable criterion is used as it is; one that is not is divided by its mean
  assert.deepEqual((await scoreGroups(['bn'], groups, ctx)).get('a.conv'), bn);
  assert.deepEqual((await scoreGroups(['l1'], groups, ctx)).get('a.conv'), byMean(l1));
});

test('pruneModel with data-driven criteria (entropy, dynamic, taylor+bn) on micro-yolo: verified, runs', async () => {
  const m = zooByName.get('micro-yolo')!.build({ size: 64, classes: 2, seed: 4 });
  const scope = backbone('micro-yolo', m);
  const calib = batches(2, 2, 64);
  const x = image(64);
  for (const [criterion, amount, global] of [[['entropy'], 0.3, true], [['dynamic'], { flops: 0.3 }, false], [['taylor', 'bn'], 0.5, false]] as const) {
    const r = await pruneModel(m, { scope, criterion, amount, global, batches: calib, round: 4 });
    assert.ok(r.reached && r.after.macs < r.before.macs, criterion.join('+'));
    assert.deepEqual((await outputs(r.model, x, [1, 3, 64, 64])).map((t) => t.dims), [[1, 21, 2, 2], [1, 21, 4, 4]]);
  }
  await assert.rejects(pruneModel(m, { scope, criterion: ['entropy'], amount: 0.5 }), /calibration images/);
  await assert.rejects(pruneModel(m, { scope, criterion: ['l3'], amount: 0.5 }), /unknown criterion 'l3'/);
});

// ── allocation ──

async function allocation(name: string, opts: Omit<Parameters<typeof allocate>[3], 'scope'> & { scope?: Set<string> }) {
  const m = zoo(name);
  const g = Graph.fromModel(m);
  const groups = pruneGroups(g);
  const scope = opts.scope ?? new Set([...backbone(name, m)].map((n) => n.name));
  const scoped = groupsInScope(groups, scope, opts.keep);
  const s = await scoreGroups(['l1'], scoped, scoreContext(m, g, scoped, 13));
  const a = allocate(g, groups, s, { ...opts, scope });
  pruneChannels(g, [...a.keep].map(([id, keep]) => ({ group: byId(scoped, id), keep })));
  return { a, stats: modelStats(g, 13), groups: scoped };
}

test('allocate flops 40%: at least 40% of the MACs go, counted exactly as the pruned model measures them', async () => {
  const { a, stats } = await allocation('yolov3-tiny', { amount: { flops: 0.4 }, scope: nodesMatching(zoo('yolov3-tiny'), 'layers.*') });
  assert.ok(a.reached);
  assert.equal(stats.macs, a.after.macs);
  assert.equal(stats.params, a.after.params);
  assert.ok(a.after.macs <= 0.6 * a.before.macs && a.after.macs > 0.55 * a.before.macs, `${a.after.macs / a.before.macs}`);
});

test('allocate params 3x: three times fewer parameters; unreachable goals say so', async () => {
  const { a, stats } = await allocation('micro-yolo', { amount: { params: 3 }, scope: nodesMatching(zoo('micro-yolo'), 'layers.*') });
  assert.ok(a.reached && stats.params <= a.before.params / 3 && stats.params > a.before.params / 3.3, `${a.before.params / stats.params}x`);
  const far = await allocation('micro-yolo', { amount: { params: 1000 }, min: 8 });
  assert.equal(far.a.reached, false);
  assert.ok([...far.a.keep.values()].every((k) => k.length >= 8));
});

test('allocate round and min: kept counts are multiples of round, at least min, or untouched', async () => {
  const { a, groups } = await allocation('yolov5n', { amount: 0.7, round: 8, min: 16 });
  for (const x of groups) {
    const k = a.keep.get(x.id)!.length;
    assert.ok(k === x.channels || (k % 8 === 0 && k >= 16), `${x.id}: ${x.channels} → ${k}`);
  }
  assert.ok(groups.some((x) => a.keep.get(x.id)!.length < x.channels));
  const g = await allocation('yolov5n', { amount: { flops: 0.3 }, round: 8, min: 16, global: true });
  for (const x of g.groups) { const k = g.a.keep.get(x.id)!.length; assert.ok(k === x.channels || (k % 8 === 0 && k >= 16)); }
});

test('allocate keep: the groups of kept nodes are never pruned', async () => {
  const keep = new Set(['layers.000.conv', 'layers.008.conv']);
  const { a } = await allocation('yolov3-tiny', { amount: 0.5, keep });
  assert.ok(!a.keep.has('layers.000.conv') && !a.keep.has('layers.008.conv'));
  assert.equal(a.keep.get('layers.002.conv')!.length, 16);
});

test('allocate global: channels are ranked across groups, so a weak layer gives up more', async () => {
  const b = new NetBuilder('two', 8, 4);
  const x = b.conv(b.input, 'strong', { out: 8, k: 3, act: 'relu' });
  const y = b.conv(x, 'weak', { out: 8, k: 3, act: 'relu' });
  const two = b.build([b.conv(y, 'y', { out: 2, k: 1, bn: false, act: 'linear' })]);
  const g = Graph.fromModel(two);
  const groups = pruneGroups(g);
  const s = new Map([['strong.conv', Float32Array.from({ length: 8 }, (_, i) => 10 + i)], ['weak.conv', Float32Array.from({ length: 8 }, (_, i) => i)]]);
  const scope = new Set(['strong.conv', 'weak.conv']);
  const global = allocate(g, groups, s, { amount: 0.5, global: true, scope });
  // 8 of 16 go: the weak layer's 7 lowest (it keeps 1), then the strong layer's lowest
  assert.deepEqual([global.keep.get('strong.conv'), global.keep.get('weak.conv')], [[1, 2, 3, 4, 5, 6, 7], [7]]);
  const local = allocate(g, groups, s, { amount: 0.5, scope });
  assert.deepEqual([local.keep.get('strong.conv'), local.keep.get('weak.conv')], [[4, 5, 6, 7], [4, 5, 6, 7]]);
});
