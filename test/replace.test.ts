// replace: convolutions become DSConv or MBConv(+SE) blocks. Parameter counts against the published formulas,
// the factorised start (exact where the old kernel has the rank the block holds), skipped layers, shapes and
// outputs in onnxruntime, and that prune and int8 quantization treat the new layers like any others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import type { ModelProto } from 'onnx-buf';
import { Graph } from '../src/onnx/graph.ts';
import { DataType, graph, model, node, tensor, valueInfo } from '../src/onnx/make.ts';
import { createSession } from '../src/runtime/session.ts';
import { zooByName } from '../src/zoo/registry.ts';
import { NetBuilder } from '../src/onnx/builder.ts';
import { mulberry32 } from '../src/util/random.ts';
import { dataAware, fitAll, replaceLayers, type ReplaceParams } from '../src/passes/replace/run.ts';
import { blocks } from '../src/passes/replace/blocks/registry.ts';
import { pruneModel } from '../src/passes/prune/prune-model.ts';
import { quantizeInt8 } from '../src/passes/quantize/int8.ts';

const block = (id: string) => blocks.find((b) => b.id === id)!;

/** One conv (cin → cout, k x k, stride s) with BN and an optional activation, between input and output.
 * `rank1`: each input channel's kernel slice is an outer product (what one depthwise filter holds). */
function single(o: { cin: number; cout: number; k: number; s?: number; act?: 'LeakyRelu' | 'none'; rank?: number; size?: number }): ModelProto {
  const { cin, cout, k, s = 1, size = 8 } = o;
  const rnd = mulberry32(cin * 100 + cout + k);
  const w = new Float32Array(cout * cin * k * k);
  const rank = o.rank ?? k * k;
  for (let i = 0; i < cin; i++) {
    for (let j = 0; j < rank; j++) {
      const u = Array.from({ length: cout }, () => rnd() - 0.5);
      const v = Array.from({ length: k * k }, () => rnd() - 0.5);
      for (let oc = 0; oc < cout; oc++) for (let t = 0; t < k * k; t++) w[(oc * cin + i) * k * k + t]! += u[oc]! * v[t]!;
    }
  }
  const c = (n: string, f: (i: number) => number) => tensor(n, [cout], Float32Array.from({ length: cout }, (_, i) => f(i)));
  const p = (k - 1) / 2;
  const nodes = [
    node('Conv', ['x', 'w'], ['c'], { kernel_shape: [k, k], strides: [s, s], pads: [p, p, p, p] }, 'l.conv'),
    node('BatchNormalization', ['c', 'g', 'b', 'm', 'v'], [o.act === 'none' ? 'y' : 'bn'], { epsilon: 1e-3 }, 'l.bn'),
    ...(o.act === 'none' ? [] : [node('LeakyRelu', ['bn'], ['y'], { alpha: 0.1 }, 'l.act')]),
  ];
  const out = size / s;
  return model(graph('one', nodes, [valueInfo('x', DataType.FLOAT, [1, cin, size, size])], [valueInfo('y', DataType.FLOAT, [1, cout, out, out])],
    [tensor('w', [cout, cin, k, k], w), c('g', (i) => 1 + 0.1 * (i % 3)), c('b', (i) => 0.05 * i), c('m', (i) => 0.01 * i), c('v', (i) => 1 + 0.2 * (i % 2))]));
}

const all = (m: ModelProto) => new Set(m.graph!.node.map((n) => n.name));

async function run(m: ModelProto, x: Float32Array, dims: number[]): Promise<{ data: Float32Array; dims: readonly number[] }[]> {
  const s = await createSession(m, { optimization: 'disabled' });
  const r = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', x, dims) });
  return s.outputNames.map((n) => ({ data: r[n]!.data as Float32Array, dims: r[n]!.dims }));
}

const relErr = (a: Float32Array, b: Float32Array) => {
  let [d, n] = [0, 0];
  for (let i = 0; i < a.length; i++) { d += (a[i]! - b[i]!) ** 2; n += a[i]! ** 2; }
  return Math.sqrt(d / n);
};

/** Parameters of the block's nodes: conv weights and biases, and BN's four vectors. */
function blockParams(m: ModelProto, nodes: string[]): { conv: number; bn: number } {
  const g = Graph.fromModel(m);
  const count = (v: string) => g.initializers.get(v)?.dims.reduce((a, d) => a * Number(d), 1) ?? 0;
  let [conv, bn] = [0, 0];
  for (const name of nodes) {
    const n = g.node(name)!;
    if (n.opType === 'Conv') conv += n.input.slice(1).reduce((a, v) => a + count(v), 0);
    if (n.opType === 'BatchNormalization') bn += n.input.slice(1).reduce((a, v) => a + count(v), 0);
  }
  return { conv, bn };
}

test('dsconv: k²·Cin + Cin·Cout weights, BN on Cin and Cout, the old output shape at stride 1 and 2', async () => {
  for (const [k, kn, s] of [[3, 3, 1], [3, 5, 2], [5, 3, 1]] as const) {
    const m = single({ cin: 8, cout: 16, k, s });
    const r = replaceLayers(m, all(m), { scope: 's', block: 'dsconv', kernel: [kn] });
    assert.deepEqual(blockParams(r.model, r.nodes[0]!), { conv: kn * kn * 8 + 8 * 16, bn: 4 * (8 + 16) });
    assert.equal(block('dsconv').convWeights(8, 16, r.options[0]!), kn * kn * 8 + 8 * 16);
    const x = Float32Array.from({ length: 8 * 64 }, (_, i) => Math.sin(i));
    const [out] = await run(r.model, x, [1, 8, 8, 8]);
    assert.deepEqual(out!.dims, [1, 16, 8 / s, 8 / s]);
    assert.deepEqual(r.model.graph!.output.map((o) => o.name), ['y']);
    assert.equal(r.options[0]!.act.kind, 'leaky');
  }
});

test('mbconv: expansion, depthwise, SE and projection as the formula counts; residual only when the shape is kept', async () => {
  const cases = [{ cin: 16, cout: 16, s: 1, t: 4, se: 0.25, add: true }, { cin: 8, cout: 16, s: 1, t: 2, se: undefined, add: false }, { cin: 16, cout: 16, s: 2, t: 1, se: 0.5, add: false }];
  for (const c of cases) {
    const m = single({ cin: c.cin, cout: c.cout, k: 3, s: c.s });
    const r = replaceLayers(m, all(m), { scope: 's', block: 'mbconv', expand: c.t, se: c.se });
    const e = c.t * c.cin;
    const rr = c.se ? Math.round(e * c.se) : 0;
    const formula = (c.t > 1 ? c.cin * e : 0) + 9 * e + (c.se ? e * rr + rr + rr * e + e : 0) + e * c.cout;
    assert.equal(blockParams(r.model, r.nodes[0]!).conv, formula, JSON.stringify(c));
    assert.equal(block('mbconv').convWeights(c.cin, c.cout, r.options[0]!), formula);
    assert.equal(blockParams(r.model, r.nodes[0]!).bn, 4 * ((c.t > 1 ? e : 0) + e + c.cout));
    const g = Graph.fromModel(r.model);
    assert.equal(g.nodes.some((n) => n.opType === 'Add'), c.add, JSON.stringify(c));
    assert.equal(g.nodes.some((n) => n.opType === 'GlobalAveragePool'), !!c.se);
    const [out] = await run(r.model, Float32Array.from({ length: c.cin * 64 }, (_, i) => Math.cos(i)), [1, c.cin, 8, 8]);
    assert.deepEqual(out!.dims, [1, c.cout, 8 / c.s, 8 / c.s]);
  }
});

test('the factorised start is exact where the block holds the old kernel: rank 1 for dsconv, rank t for mbconv (linear layers)', async () => {
  const x = Float32Array.from({ length: 6 * 64 }, (_, i) => Math.sin(0.37 * i) + 0.5);
  // with a residual (cout = cin) mbconv holds the kernel less the identity: rank 9 covers it; rank 3 without one
  const cases: [ReplaceParams, number, number][] = [[{ scope: 's', block: 'dsconv' }, 1, 7], [{ scope: 's', block: 'mbconv', expand: 9, se: 0.25 }, 9, 6], [{ scope: 's', block: 'mbconv', expand: 3 }, 3, 8]];
  for (const [p, rank, cout] of cases) {
    const m = single({ cin: 6, cout, k: 3, act: 'none', rank });
    const r = replaceLayers(m, all(m), p);
    const [ref, got] = [await run(m, x, [1, 6, 8, 8]), await run(r.model, x, [1, 6, 8, 8])];
    assert.ok(relErr(ref[0]!.data, got[0]!.data) < 1e-4, `${p.block} x${p.expand ?? 1}: ${relErr(ref[0]!.data, got[0]!.data)}`);
  }
  // a full-rank kernel: rank 1 is an approximation, not nothing
  const m = single({ cin: 6, cout: 6, k: 3, act: 'none' });
  const r = replaceLayers(m, all(m), { scope: 's', block: 'dsconv' });
  const e = relErr((await run(m, x, [1, 6, 8, 8]))[0]!.data, (await run(r.model, x, [1, 6, 8, 8]))[0]!.data);
  assert.ok(e > 1e-3 && e < 1, `${e}`);
});

test('yolov3-tiny: 3x3 convs replaced, 1x1 and output convs skipped and listed, outputs keep their shapes', async () => {
  const m = zooByName.get('yolov3-tiny')!.build({ size: 64, classes: 2, seed: 1 });
  const r = replaceLayers(m, all(m), { scope: 'all', block: 'dsconv', kernel: [3] });
  assert.equal(r.layers.length, 9);
  assert.deepEqual(r.skipped.map((s) => s.node).sort(), ['layers.013.conv', 'layers.015.conv', 'layers.018.conv', 'layers.022.conv']);
  assert.match(r.skipped.find((s) => s.node === 'layers.015.conv')!.why, /output convolution/);
  assert.match(r.skipped.find((s) => s.node === 'layers.013.conv')!.why, /1x1/);
  const x = Float32Array.from({ length: 3 * 64 * 64 }, (_, i) => (i % 255) / 255);
  const [a, b] = [await run(m, x, [1, 3, 64, 64]), await run(r.model, x, [1, 3, 64, 64])];
  assert.deepEqual(b.map((o) => o.dims), a.map((o) => o.dims));
  assert.ok(b.every((o) => o.data.every(Number.isFinite)));
  assert.ok(Graph.fromModel(r.model).node('layers.004.dw.conv'), 'nodes keep the layer prefix, so scopes still match');
  assert.throws(() => replaceLayers(m, all(m), { scope: 'all', block: 'dsconv', kernel: [3, 5] }), /kernel lists 2 sizes, but scope 'all' has 9/);
  const per = replaceLayers(m, all(m), { scope: 'all', block: 'dsconv', kernel: [3, 5, 3, 5, 3, 5, 3, 5, 3] });
  assert.deepEqual(per.options.map((o) => o.kernel), [3, 5, 3, 5, 3, 5, 3, 5, 3]);
  assert.throws(() => replaceLayers(m, new Set(['layers.013.conv']), { scope: 'neck', block: 'mbconv' }), /no convolution a mbconv block can replace: 'layers.013.conv' is a 1x1/);
});

/** Convs that keep their shape (a residual MBConv for each), then a 1x1 output conv. */
function stack(): ModelProto {
  const b = new NetBuilder('stack', 32, 3);
  let x = b.conv(b.input, 'a', { out: 16, k: 3, s: 2, act: 'leaky' });
  x = b.conv(x, 'b', { out: 16, k: 3, act: 'leaky' });
  x = b.conv(x, 'c', { out: 16, k: 3, act: 'leaky' });
  x = b.conv(x, 'd', { out: 24, k: 3, act: 'leaky' });
  return b.build([b.conv(x, 'out', { out: 8, k: 1, bn: false, act: 'linear' })]);
}

test('a replaced model prunes (residual Add, SE pool and Mul in the groups) and quantizes to int8', async () => {
  const m = stack();
  const r = replaceLayers(m, all(m), { scope: 'all', block: 'mbconv', expand: 2, se: 0.25, kernel: [3, 3, 5, 3] });
  const g = Graph.fromModel(r.model);
  assert.deepEqual(g.nodes.filter((n) => n.opType === 'Add').map((n) => n.name), ['b.add', 'c.add']);
  assert.deepEqual(r.skipped.map((s) => s.node), ['out.conv']);
  const names = new Set(g.nodes.map((n) => n.name));
  const p = await pruneModel(r.model, { scope: names, criterion: ['l1'], amount: 0.5 });
  const pruned = p.layers.filter((l) => l.after < l.before).map((l) => l.group);
  assert.ok(p.after.params < p.before.params * 0.7, `${p.before.params} → ${p.after.params}`);
  // the residual chain a → b.add → c.add is one group; the expansions, SE reductions and d are their own
  for (const grp of ['a.project.conv', 'b.expand.conv', 'b.se.reduce.conv', 'c.expand.conv', 'd.expand.conv', 'd.project.conv']) assert.ok(pruned.includes(grp), `${grp} in ${pruned.join(', ')}`);
  const x = Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => ((i * 31) % 255) / 255);
  const [a, b] = [await run(r.model, x, [1, 3, 32, 32]), await run(p.model, x, [1, 3, 32, 32])];
  assert.deepEqual(b.map((o) => o.dims), a.map((o) => o.dims));
  const q = await quantizeInt8(p.model, [x], { method: 'minmax' });
  // (the first conv, a.expand, reads the image: int8 keeps it float by design)
  const convs = Graph.fromModel(q.model).nodes.filter((n) => n.opType === 'Conv' && /\.(dw|project|expand)\.conv$/.test(n.name) && n.name !== 'a.expand.conv');
  assert.ok(convs.length >= 8 && convs.every((n) => q.report.quantized.includes(n.name)), `quantized: ${q.report.quantized.join(', ')}`);
  const c = await run(q.model, x, [1, 3, 32, 32]);
  assert.deepEqual(c.map((o) => o.dims), a.map((o) => o.dims));
  assert.ok(c.every((o) => o.data.every(Number.isFinite)));
});

test('fitting: each block trained to the old layer output lowers its relative error (dsconv and mbconv+SE on a leaky layer)', async () => {
  const m = stack();
  const rnd = mulberry32(5);
  const images = Array.from({ length: 8 }, () => Float32Array.from({ length: 3 * 32 * 32 }, () => rnd()));
  for (const p of [{ scope: 'all', block: 'dsconv' }, { scope: 'all', block: 'mbconv', expand: 2, se: 0.25 }] as ReplaceParams[]) {
    const r = replaceLayers(m, all(m), p);
    const f = await fitAll(m, r, images, [1, 3, 32, 32], { steps: 60, threads: 1, seed: 1 });
    assert.equal(f.fits.length, 4);
    for (const [i, x] of f.fits.entries()) {
      assert.ok(x.before > 0 && Number.isFinite(x.before), `${p.block} ${i}: ${x.before}`);
      assert.ok(x.after < x.before * 0.9, `${p.block} block ${i}: ${x.before} → ${x.after}`);
    }
    assert.ok(f.macs.every((v) => v > 0));
    // the fitted blocks are in the model: its output is closer to the old model's than the unfitted one's
    const x = images[0]!;
    const [ref, start, fitted] = [await run(m, x, [1, 3, 32, 32]), await run(r.model, x, [1, 3, 32, 32]), await run(f.model, x, [1, 3, 32, 32])];
    assert.ok(relErr(ref[0]!.data, fitted[0]!.data) < relErr(ref[0]!.data, start[0]!.data), `${p.block}: ${relErr(ref[0]!.data, start[0]!.data)} → ${relErr(ref[0]!.data, fitted[0]!.data)}`);
  }
});

test('the start from input-window moments fits the old outputs better than the weight-only factorisation (fit 0: no training)', async () => {
  const m = stack();
  // smooth, positive inputs (like images): far from white, where the weight-only start is worst
  const images = Array.from({ length: 6 }, (_, k) => Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => 0.5 + 0.4 * Math.sin(0.05 * (i % 32) + 0.07 * Math.floor(i / 32) + k)));
  const data = { images, dims: [1, 3, 32, 32] };
  for (const p of [{ scope: 'all', block: 'dsconv' }, { scope: 'all', block: 'mbconv', expand: 2 }] as ReplaceParams[]) {
    const plain = await fitAll(m, replaceLayers(m, all(m), p), images, data.dims, { steps: 0, threads: 1, seed: 1 });
    const aware = await fitAll(m, await dataAware(m, all(m), p, data, 1), images, data.dims, { steps: 0, threads: 1, seed: 1 });
    const sum = (f: typeof plain) => f.fits.reduce((a, x) => a + x.before, 0);
    assert.ok(sum(aware) < sum(plain), `${p.block}: ${plain.fits.map((f) => f.before.toFixed(3))} → ${aware.fits.map((f) => f.before.toFixed(3))}`);
    assert.ok(plain.fits.every((f) => f.after === f.before), 'fit 0 trains nothing');
  }
});
