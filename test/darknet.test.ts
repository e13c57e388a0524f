// The darknet importer against published figures: zoo/yolov3-tiny.cfg at 416x416 has exactly the parameter
// counts and BFLOPs of shared/notes/facts.md, runs in onnxruntime-node with 13x13 and 26x26 outputs of 255
// channels, records its anchors and masks, and reads real .weights files (header versions, exact length).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { parseCfg, CfgError } from '../src/darknet/cfg.ts';
import { importDarknet } from '../src/darknet/import.ts';
import { encodeModel } from '../src/onnx/io.ts';
import { Graph } from '../src/onnx/graph.ts';
import { modelStats } from '../src/onnx/stats.ts';
import { verify } from '../src/onnx/verify.ts';

const TINY = 'zoo/yolov3-tiny.cfg';
const tinyCfg = () => parseCfg(readFileSync(TINY, 'utf8'), TINY);

test('yolov3-tiny.cfg at 416: 8,852,366 trainable params, 8,858,734 with BN statistics, 5.56 BFLOPs of convolution', () => {
  const g = Graph.fromModel(importDarknet(tinyCfg(), TINY));
  assert.deepEqual(verify(g, { opset: 13 }), []);
  const s = modelStats(g, 13);
  assert.equal(s.trainable, 8_852_366);
  assert.equal(s.params, 8_858_734);
  assert.equal((s.macs / 1e9).toFixed(3), '2.782');
  assert.equal((s.flops / 1e9).toFixed(2), '5.56'); // the published table's figure (darknet's total adds pools: 5.571)
});

test('it runs in onnxruntime-node: 13x13 and 26x26 maps of 255 channels; anchors and masks in the metadata', async () => {
  const m = importDarknet(tinyCfg(), TINY);
  const s = await ort.InferenceSession.create(encodeModel(m));
  const r = await s.run({ images: new ort.Tensor('float32', new Float32Array(3 * 416 * 416).fill(0.5), [1, 3, 416, 416]) });
  assert.deepEqual(s.outputNames.map((o) => r[o]!.dims), [[1, 255, 13, 13], [1, 255, 26, 26]]);
  const yolo = JSON.parse(m.metadataProps.find((p) => p.key === 'lithe.yolo')!.value) as { mask: number[]; anchors: number[]; classes: number }[];
  assert.deepEqual(yolo.map((y) => y.mask), [[3, 4, 5], [0, 1, 2]]);
  assert.deepEqual(yolo[0]!.anchors, [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]);
});

test('--size and --classes change the input and the output convolutions', async () => {
  const m = importDarknet(tinyCfg(), TINY, { size: 320, classes: 8 });
  const s = await ort.InferenceSession.create(encodeModel(m));
  const r = await s.run({ images: new ort.Tensor('float32', new Float32Array(3 * 320 * 320), [1, 3, 320, 320]) });
  assert.deepEqual(s.outputNames.map((o) => r[o]!.dims), [[1, 39, 10, 10], [1, 39, 20, 20]]);
});

test('node names follow layers.III.KIND, as the stdlib profiles assume', () => {
  const g = Graph.fromModel(importDarknet(tinyCfg(), TINY));
  assert.ok(g.node('layers.000.conv') && g.node('layers.000.bn') && g.node('layers.000.act'));
  assert.equal(g.node('layers.011.pool')!.opType, 'MaxPool');
  assert.equal(g.node('layers.020.route')!.opType, 'Concat');
  assert.equal(g.node('layers.019.upsample')!.opType, 'Resize');
  assert.ok(g.node('layers.022.conv'));
});

/** A .weights file for the cfg: header (0.2.0 with a 64-bit `seen`), then `floats` float32s. */
function weightsFile(floats: number, major = 0, minor = 2): Uint8Array {
  const header = major * 10 + minor >= 2 ? 20 : 16;
  const b = new Uint8Array(header + floats * 4);
  const v = new DataView(b.buffer);
  v.setInt32(0, major, true);
  v.setInt32(4, minor, true);
  for (let i = 0; i < floats; i++) v.setFloat32(header + i * 4, (i % 97) / 97, true);
  return b;
}

test('.weights files load in both header versions; a file of the wrong length is refused, naming it', () => {
  const need = 8_858_734;
  for (const [major, minor] of [[0, 2], [0, 1]]) {
    const m = importDarknet(tinyCfg(), TINY, { weights: weightsFile(need, major, minor), weightsFile: 'tiny.weights' });
    const first = m.graph!.initializer.find((t) => t.name === 'layers.000.beta')!;
    assert.equal(new DataView(first.rawData.buffer, first.rawData.byteOffset).getFloat32(0, true), 0); // the first float: layer 0's first bias
  }
  assert.throws(() => importDarknet(tinyCfg(), TINY, { weights: weightsFile(need - 1), weightsFile: 'short.weights' }), (e: unknown) => e instanceof CfgError && /short\.weights: ends at float/.test(e.message));
  assert.throws(() => importDarknet(tinyCfg(), TINY, { weights: weightsFile(need + 3), weightsFile: 'long.weights' }), /long\.weights: 3 floats are left over/);
});

test('cfg errors name the file and line', () => {
  assert.throws(() => parseCfg('[net]\nwidth=416\n[convolutional]\nfilters=abc\n', 'x.cfg') && importDarknet(parseCfg('[net]\nwidth=416\n[convolutional]\nfilters=abc\n', 'x.cfg'), 'x.cfg'), /x\.cfg:3: \[convolutional\] filters=abc is not a whole number/);
  assert.throws(() => importDarknet(parseCfg('[net]\n[lstm]\n', 'y.cfg'), 'y.cfg'), /y\.cfg:2: darknet layer \[lstm\] is not supported/);
  assert.throws(() => parseCfg('width=416\n', 'z.cfg'), /z\.cfg:1: 'width' comes before any \[section\]/);
});

test('lithe import darknet writes a model lithe info measures; bad input exits non-zero with the file named', async () => {
  const { main } = await import('../src/cli/main.ts');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'lithe-import-'));
  let out = '';
  let err = '';
  const io = { out: (t: string) => { out += t; }, err: (t: string) => { err += t; } };
  const onnx = join(dir, 'tiny.onnx');
  assert.equal(await main(['import', 'darknet', TINY, '--size', '320', '-o', onnx], io), 0);
  out = '';
  assert.equal(await main(['info', '--json', onnx], io), 0);
  assert.equal(JSON.parse(out).params, 8_858_734);
  writeFileSync(join(dir, 'w.weights'), new Uint8Array(40));
  assert.equal(await main(['import', 'darknet', TINY, join(dir, 'w.weights'), '-o', join(dir, 'x.onnx')], io), 1);
  assert.match(err, /w\.weights: ends at float/);
  assert.equal(await main(['import', 'darknet', TINY], io), 2);
});

test('yolov3.cfg at 416: 61,949,149 trainable params, 62,001,757 with BN statistics, 32.932 GMACs; outputs 13, 26, 52', async () => {
  const file = 'zoo/yolov3.cfg';
  const m = importDarknet(parseCfg(readFileSync(file, 'utf8'), file), file);
  const g = Graph.fromModel(m);
  assert.deepEqual(verify(g, { opset: 13 }), []);
  const s = modelStats(g, 13);
  assert.deepEqual([s.trainable, s.params, (s.macs / 1e9).toFixed(3)], [61_949_149, 62_001_757, '32.932']);
  const sess = await ort.InferenceSession.create(encodeModel(m));
  const r = await sess.run({ images: new ort.Tensor('float32', new Float32Array(3 * 416 * 416).fill(0.5), [1, 3, 416, 416]) });
  assert.deepEqual(sess.outputNames.map((o) => r[o]!.dims), [[1, 255, 13, 13], [1, 255, 26, 26], [1, 255, 52, 52]]);
});

test('lithe zoo lists the models and builds one that runs; every zoo model has a stdlib profile', async () => {
  const { main } = await import('../src/cli/main.ts');
  const { zoo } = await import('../src/zoo/registry.ts');
  const { existsSync, mkdtempSync, readFileSync: read } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  for (const m of zoo) assert.ok(existsSync(`stdlib/${m.profile}.cmp`), m.name);
  let out = '';
  const io = { out: (t: string) => { out += t; }, err: () => {} };
  assert.equal(await main(['zoo', 'list'], io), 0);
  assert.match(out, /yolov3-tiny/);
  const path = join(mkdtempSync(join(tmpdir(), 'lithe-zoo-')), 'tiny.onnx');
  assert.equal(await main(['zoo', 'build', 'yolov3-tiny', '--size', '256', '--classes', '8', '-o', path], io), 0);
  const s = await ort.InferenceSession.create(read(path));
  const r = await s.run({ images: new ort.Tensor('float32', new Float32Array(3 * 256 * 256), [1, 3, 256, 256]) });
  assert.deepEqual(s.outputNames.map((o) => r[o]!.dims), [[1, 39, 8, 8], [1, 39, 16, 16]]);
  assert.equal(await main(['zoo', 'build', 'yolov9', '-o', path], io), 2);
});
