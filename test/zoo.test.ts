// Zoo models: each builds, passes the verifier, runs in onnxruntime-node with the expected output maps, and
// its stdlib profile splits its convolutions into backbone, neck and head exactly once, with the output
// convolutions in head.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { encodeModel } from '../src/onnx/io.ts';
import { Graph } from '../src/onnx/graph.ts';
import { verify, verifyModel } from '../src/onnx/verify.ts';
import { modelStats } from '../src/onnx/stats.ts';
import { select } from '../src/onnx/select.ts';
import { checkText } from '../src/plan/build.ts';
import { zoo, zooByName } from '../src/zoo/registry.ts';
import { ZOO_STRIDES } from '../src/zoo/catalog.ts';
import { yoloMetadata } from '../src/metrics/decode/yolo.ts';
import { pruneGroups } from '../src/passes/prune/dependency/groups.ts';

const convs = (nodes: Iterable<{ name: string; opType: string }>) => [...nodes].filter((n) => n.opType === 'Conv').map((n) => n.name).sort();

test('yolov5n: builds, verifies, runs with stride 8/16/32 maps; 1,872,157 trainable parameters', async () => {
  const m = zooByName.get('yolov5n')!.build({ size: 320 });
  const g = Graph.fromModel(m);
  assert.deepEqual(verify(g, { opset: 13 }), []);
  // A regression figure: also the count Ultralytics' model summary prints for yolov5n (not in facts.md).
  assert.equal(modelStats(g, 13).trainable, 1_872_157);
  const s = await ort.InferenceSession.create(encodeModel(m));
  const r = await s.run({ images: new ort.Tensor('float32', new Float32Array(3 * 320 * 320).fill(0.1), [1, 3, 320, 320]) });
  assert.deepEqual(s.outputNames.map((o) => r[o]!.dims), [[1, 255, 40, 40], [1, 255, 20, 20], [1, 255, 10, 10]]);
});

test('micro-yolo: builds, verifies, runs with 13x13 and 26x26 maps, and is several times smaller than yolov3-tiny', async () => {
  const m = zooByName.get('micro-yolo')!.build({});
  const g = Graph.fromModel(m);
  assert.deepEqual(verify(g, { opset: 13 }), []);
  const s = await ort.InferenceSession.create(encodeModel(m));
  const r = await s.run({ images: new ort.Tensor('float32', new Float32Array(3 * 416 * 416).fill(0.1), [1, 3, 416, 416]) });
  assert.deepEqual(s.outputNames.map((o) => r[o]!.dims), [[1, 255, 13, 13], [1, 255, 26, 26]]);
  const tiny = modelStats(Graph.fromModel(zooByName.get('yolov3-tiny')!.build({})), 13);
  const micro = modelStats(g, 13);
  assert.ok(tiny.params / micro.params > 3 && tiny.macs / micro.macs > 2, `${tiny.params / micro.params}x params, ${tiny.macs / micro.macs}x MACs`);
  assert.ok(g.nodes.some((n) => n.opType === 'GlobalAveragePool' && n.name.startsWith('layers.010.se')), 'MBConv blocks carry squeeze-excitation');
});

test('ssd-lite: builds, verifies, runs; boxes and scores for 2,034 priors at 320; prior layout in the metadata', async () => {
  const m = zooByName.get('ssd-lite')!.build({});
  assert.deepEqual(verify(Graph.fromModel(m), { opset: 13 }), []);
  const s = await ort.InferenceSession.create(encodeModel(m));
  const r = await s.run({ images: new ort.Tensor('float32', new Float32Array(3 * 320 * 320).fill(0.1), [1, 3, 320, 320]) });
  // 20x20 cells x 3 anchors, then 10x10, 5x5, 3x3, 2x2 and 1x1 cells x 6 anchors
  assert.deepEqual([r.boxes!.dims, r.scores!.dims], [[1, 2034, 4], [1, 2034, 81]]);
  const ssd = JSON.parse(m.metadataProps.find((p) => p.key === 'lithe.ssd')!.value) as { sizes: number[] };
  assert.deepEqual(ssd.sizes, [20, 10, 5, 3, 2, 1]);
});

for (const [name, maps] of [['yolov4-tiny', [[1, 255, 2, 2], [1, 255, 4, 4]]], ['yolov4', [[1, 255, 8, 8], [1, 255, 4, 4], [1, 255, 2, 2]]]] as const) {
  test(`${name}: builds at 64 px, verifies, runs with its strides' maps; scale_x_y in its head description; output convs unprunable`, async () => {
    const m = zooByName.get(name)!.build({ size: 64 });
    const g = Graph.fromModel(m);
    assert.deepEqual(verify(g, { opset: 13 }), []);
    const s = await ort.InferenceSession.create(encodeModel(m));
    const r = await s.run({ images: new ort.Tensor('float32', new Float32Array(3 * 64 * 64).fill(0.1), [1, 3, 64, 64]) });
    assert.deepEqual(s.outputNames.map((o) => r[o]!.dims), maps);
    for (const o of s.outputNames) assert.ok((r[o]!.data as Float32Array).every(Number.isFinite), o);
    const heads = yoloMetadata(m)!;
    assert.deepEqual(heads.map((h) => h.scaleXY), name === 'yolov4' ? [1.2, 1.1, 1.05] : [1.05, 1.05]);
    const groups = pruneGroups(g);
    const outputConvs = new Set(g.outputs.map((o) => g.producer(o.name)!.name));
    const owning = groups.filter((x) => x.producers.some((p) => outputConvs.has(p.node)));
    assert.equal(owning.length, outputConvs.size);
    assert.ok(owning.every((x) => !x.prunable && /graph output/.test(x.reason!)));
    const { plan } = checkText('p.cmp', `model zoo:${name}\n`);
    const backbone = new Set([...select({ scope: 'backbone' }, g, plan!.scopes)].filter((n) => n.opType === 'Conv').map((n) => n.name));
    assert.ok(groups.filter((x) => x.prunable && x.producers.every((p) => backbone.has(p.node))).length >= (name === 'yolov4' ? 40 : 10), 'backbone convolutions are prunable');
  });
}

for (const name of ['micro-yolo', 'ssd-lite', 'yolov4', 'yolov4-tiny', 'yolov5n']) {
  test(`stdlib/${name}.cmp splits the zoo model's convolutions into backbone, neck and head`, () => {
    const g = Graph.fromModel(zooByName.get(name)!.build({ size: name === 'yolov4' ? 64 : 320 }));
    const { plan } = checkText('p.cmp', `model zoo:${name}\n`);
    const part = (s: string) => convs(select({ scope: s }, g, plan!.scopes));
    const [b, n, h] = ['backbone', 'neck', 'head'].map(part);
    assert.deepEqual([...b!, ...n!, ...h!].sort(), convs(g.nodes));
    assert.ok(b!.length && n!.length && h!.length);
    // The output convolutions: those feeding the graph outputs (through SSD's reshapes and concat).
    const feeding = (v: string): string[] => {
      const n = g.producer(v);
      if (!n) return [];
      return n.opType === 'Conv' ? [n.name] : n.input.flatMap(feeding);
    };
    assert.deepEqual(part('outputs'), [...new Set(g.outputs.flatMap((o) => feeding(o.name)))].sort());
  });
}

test('lithe info reports per scope from the profile a zoo model records; backbone, neck and head add up to the total', async () => {
  const { main } = await import('../src/cli/main.ts');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const path = join(mkdtempSync(join(tmpdir(), 'lithe-scopes-')), 'tiny.onnx');
  let out = '';
  const io = { out: (t: string) => { out += t; }, err: () => {} };
  assert.equal(await main(['zoo', 'build', 'yolov3-tiny', '-o', path], io), 0);
  out = '';
  assert.equal(await main(['info', '--json', path], io), 0);
  const j = JSON.parse(out) as { params: number; macs: number; scopes: Record<string, { params: number; macs: number }> };
  const parts = ['backbone', 'neck', 'head'].map((k) => j.scopes[k]!);
  assert.equal(parts.reduce((a, p) => a + p.params, 0), j.params);
  assert.equal(parts.reduce((a, p) => a + p.macs, 0), j.macs);
  assert.equal(await main(['info', '--profile', 'yolov9', path], io), 2);
});

test('every zoo model builds and verifies at its smallest size, and refuses sizes and class counts it cannot build, by name', async () => {
  const { LitheError } = await import('../src/errors.ts');
  for (const m of zoo) {
    assert.deepEqual(verifyModel(m.build({ size: m.stride, classes: 2 }), 13), [], m.name);
    for (const [opts, problem] of [
      [{ size: 100 }, /at 100x100: the input size must be a multiple of (32|64)/],
      [{ size: m.stride / 2 }, /must be at least/],
      [{ size: 0 }, /must be at least/],
      [{ size: 8192 }, /larger than the 4096x4096/],
      [{ classes: 0 }, /0 classes; lithe builds 1 to 10000/],
      [{ classes: 1e9 }, /classes; lithe builds/],
    ] as const) {
      assert.throws(() => m.build(opts), (e: unknown) => e instanceof LitheError && e.message.startsWith(`zoo:${m.name}`) && problem.test(e.message), `${m.name} ${JSON.stringify(opts)}`);
    }
  }
});

test('lithe run and lithe zoo build with a size the zoo model cannot take: a named error before any work', async () => {
  const { main } = await import('../src/cli/main.ts');
  const { existsSync, mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'lithe-zoo-size-'));
  let err = '';
  const io = { out: () => {}, err: (t: string) => { err += t; } };
  writeFileSync(join(dir, 'r.cmp'), 'model zoo:micro-yolo\ninput 100x100\nfuse\n');
  assert.equal(await main(['run', join(dir, 'r.cmp'), '--out', join(dir, 'run')], io), 1);
  assert.match(err, /zoo:micro-yolo at 100x100: the input size must be a multiple of 32/);
  assert.doesNotMatch(err, /internal error/);
  assert.equal(existsSync(join(dir, 'run')), false);
  err = '';
  assert.equal(await main(['zoo', 'build', 'micro-yolo', '--size', '100', '-o', join(dir, 'm.onnx')], io), 1);
  assert.match(err, /multiple of 32/);
  assert.equal(existsSync(join(dir, 'm.onnx')), false);
});

test('the catalog the checker reads names every zoo model with its stride', () => {
  assert.deepEqual(ZOO_STRIDES, Object.fromEntries(zoo.map((m) => [m.name, m.stride])));
});
