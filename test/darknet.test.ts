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
import { inferShapes } from '../src/onnx/shape/infer.ts';
import { Attrs } from '../src/onnx/attrs.ts';

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

// ── yolov4's constructs, each on a small cfg, checked in onnxruntime against a reference written here ──

const small = (body: string) => `[net]\nwidth=32\nheight=32\nchannels=3\n${body}`;
const conv = (filters: number, activation = 'linear', size = 3) => `[convolutional]\nfilters=${filters}\nsize=${size}\nstride=1\npad=1\nactivation=${activation}\n`;
/** A [yolo] layer reading `anchors` anchors of one class: 6 channels each. */
const yoloOf = (anchors: number, extra = '') => `[yolo]\nmask=${Array.from({ length: anchors }, (_, i) => i).join(',')}\nanchors=${Array.from({ length: anchors }, (_, i) => `${10 + i},${12 + i}`).join(',')}\nclasses=1\n${extra}`;
/** Values from -4 to 4, so activations see both signs and relu6 its ceiling. */
const input32 = Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => 4 * Math.sin(i * 0.37));

interface Out { data: Float32Array; dims: number[] }
async function runCfg(text: string): Promise<Out[]> {
  const m = importDarknet(parseCfg(text, 't.cfg'), 't.cfg', { seed: 5 });
  assert.deepEqual(verify(Graph.fromModel(m), { opset: 13 }), []);
  const s = await ort.InferenceSession.create(encodeModel(m));
  const r = await s.run({ images: new ort.Tensor('float32', input32, [1, 3, 32, 32]) });
  return s.outputNames.map((o) => ({ data: r[o]!.data as Float32Array, dims: [...r[o]!.dims] }));
}

/** Channels [from, to) of an NCHW map with batch 1. */
const channels = (o: Out, from: number, to: number): Float32Array => o.data.slice(from * o.dims[2]! * o.dims[3]!, to * o.dims[2]! * o.dims[3]!);
function close(got: ArrayLike<number>, want: ArrayLike<number>, what: string, tol = 1e-5): void {
  assert.equal(got.length, want.length, `${what}: ${got.length} values, want ${want.length}`);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) <= tol * (1 + Math.abs(want[i]!)), `${what}[${i}]: ${got[i]} vs ${want[i]}`);
}

test('[route] groups=2 group_id=K takes the K-th half of each input\'s channels (yolov4-tiny\'s CSP split)', async () => {
  const [whole] = await runCfg(small(`${conv(12, 'linear', 1)}${yoloOf(2)}`));
  for (const id of [0, 1]) {
    const [half] = await runCfg(small(`${conv(12, 'linear', 1)}[route]\nlayers=-1\ngroups=2\ngroup_id=${id}\n${yoloOf(1)}`));
    close(half!.data, channels(whole!, 6 * id, 6 * id + 6), `group ${id}`);
  }
  // two inputs: each contributes its own second half, in the order listed
  const [both] = await runCfg(small(`${conv(12, 'linear', 1)}${conv(12)}[route]\nlayers=-1,-2\n${yoloOf(4)}`));
  const [halves] = await runCfg(small(`${conv(12, 'linear', 1)}${conv(12)}[route]\nlayers=-1,-2\ngroups=2\ngroup_id=1\n${yoloOf(2)}`));
  close(halves!.data, Float32Array.from([...channels(both!, 6, 12), ...channels(both!, 18, 24)]), 'two inputs');
  const m = importDarknet(parseCfg(small(`${conv(12, 'linear', 1)}[route]\nlayers=-1\ngroups=2\ngroup_id=1\n${yoloOf(1)}`), 't.cfg'), 't.cfg');
  assert.equal(Graph.fromModel(m).node('layers.001.route')!.opType, 'Slice');
});

/** darknet's activations (activations.h), float64. */
const softplus = (x: number) => (x > 20 ? x : x < -20 ? Math.exp(x) : Math.log(Math.exp(x) + 1));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const DARKNET: Record<string, (x: number) => number> = {
  leaky: (x) => (x > 0 ? x : 0.1 * x), logistic: sigmoid, mish: (x) => x * Math.tanh(softplus(x)), relu: (x) => Math.max(x, 0),
  relu6: (x) => Math.min(Math.max(x, 0), 6), swish: (x) => x * sigmoid(x), tanh: Math.tanh,
};

test('activations after [convolutional] and after an activated [shortcut] compute darknet\'s functions (mish as Softplus, Tanh, Mul)', async () => {
  const [plain] = await runCfg(small(`${conv(6)}${yoloOf(1)}`));
  const [sum] = await runCfg(small(`${conv(6)}${conv(6)}[shortcut]\nfrom=-2\nactivation=linear\n${yoloOf(1)}`));
  assert.ok(plain!.data.some((v) => v > 6) && plain!.data.some((v) => v < -1), 'inputs reach both sides of every activation');
  for (const [name, f] of Object.entries(DARKNET)) {
    const [a] = await runCfg(small(`${conv(6, name)}${yoloOf(1)}`));
    close(a!.data, plain!.data.map(f), `conv ${name}`);
    const [b] = await runCfg(small(`${conv(6)}${conv(6)}[shortcut]\nfrom=-2\nactivation=${name}\n${yoloOf(1)}`));
    close(b!.data, sum!.data.map(f), `shortcut ${name}`);
  }
  const g = Graph.fromModel(importDarknet(parseCfg(small(`${conv(6, 'mish')}${yoloOf(1)}`), 't.cfg'), 't.cfg'));
  assert.deepEqual(['layers.000.softplus', 'layers.000.tanh', 'layers.000.act'].map((n) => g.node(n)?.opType), ['Softplus', 'Tanh', 'Mul']);
});

/** darknet's forward_maxpool_layer, for one 32x32 map of C channels. */
function darknetMaxpool(x: Float32Array, c: number, size: number, stride: number): Float32Array {
  const [h, w, pad] = [32, 32, size - 1];
  const [oh, ow] = [Math.floor((h + pad - size) / stride) + 1, Math.floor((w + pad - size) / stride) + 1];
  const off = -Math.trunc(pad / 2);
  const out = new Float32Array(c * oh * ow);
  for (let k = 0; k < c; k++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        let max = -Infinity;
        for (let n = 0; n < size; n++) {
          for (let m = 0; m < size; m++) {
            const [y, xx] = [off + i * stride + n, off + j * stride + m];
            const v = y >= 0 && y < h && xx >= 0 && xx < w ? x[k * h * w + y * w + xx]! : -3.4e38;
            if (v > max) max = v;
          }
        }
        out[k * oh * ow + i * ow + j] = max;
      }
    }
  }
  return out;
}

test('[maxpool] pads as darknet does: SPP\'s stride-1 pools (5, 9, 13) keep the size, 2/2, 2/1 and 3/2 pools match', async () => {
  const [plain] = await runCfg(small(`${conv(6)}${yoloOf(1)}`));
  for (const [size, stride, side] of [[5, 1, 32], [9, 1, 32], [13, 1, 32], [2, 2, 16], [2, 1, 32], [3, 2, 16]] as const) {
    const [p] = await runCfg(small(`${conv(6)}[maxpool]\nsize=${size}\nstride=${stride}\n${yoloOf(1)}`));
    assert.deepEqual(p!.dims, [1, 6, side, side], `${size}/${stride}`);
    close(p!.data, darknetMaxpool(plain!.data, 6, size, stride), `maxpool ${size}/${stride}`, 0);
  }
});

/** darknet's forward_yolo_layer then get_yolo_detections (get_yolo_box), for batch 1, in input pixels. */
function darknetDetections(o: Out, mask: number[], anchors: number[], classes: number, scaleXY: number, newCoords: boolean, net: number) {
  const x = Float32Array.from(o.data);
  const [lh, lw] = [o.dims[2]!, o.dims[3]!];
  const plane = lw * lh;
  const entry = (n: number, k: number) => n * (classes + 5) * plane + k * plane;
  for (let n = 0; n < mask.length; n++) {
    if (!newCoords) {
      for (let i = 0; i < 2 * plane; i++) x[entry(n, 0) + i] = sigmoid(x[entry(n, 0) + i]!);
      for (let i = 0; i < (1 + classes) * plane; i++) x[entry(n, 4) + i] = sigmoid(x[entry(n, 4) + i]!);
    }
    for (let i = 0; i < 2 * plane; i++) x[entry(n, 0) + i] = x[entry(n, 0) + i]! * scaleXY - 0.5 * (scaleXY - 1);
  }
  const dets: number[][] = [];
  for (let n = 0; n < mask.length; n++) {
    for (let row = 0; row < lh; row++) {
      for (let col = 0; col < lw; col++) {
        const at = (k: number) => x[entry(n, k) + row * lw + col]!;
        const [bw, bh] = newCoords ? [at(2) * at(2) * 4 * anchors[2 * mask[n]!]!, at(3) * at(3) * 4 * anchors[2 * mask[n]! + 1]!] : [Math.exp(at(2)) * anchors[2 * mask[n]!]!, Math.exp(at(3)) * anchors[2 * mask[n]! + 1]!];
        const [bx, by] = [((col + at(0)) / lw) * net, ((row + at(1)) / lh) * net];
        for (let c = 0; c < classes; c++) dets.push([bx - bw / 2, by - bh / 2, bx + bw / 2, by + bh / 2, at(4) * at(5 + c), c]);
      }
    }
  }
  return dets;
}

test('[yolo] scale_x_y and new_coords: lithe decodes an imported model\'s maps as darknet\'s yolo layer does', async () => {
  const { yoloMetadata, decodeYolo } = await import('../src/metrics/decode/yolo.ts');
  for (const [activation, extra, scaleXY, newCoords] of [['linear', 'scale_x_y=1.2', 1.2, false], ['logistic', 'scale_x_y=2.0\nnew_coords=1', 2, true], ['linear', '', 1, false]] as const) {
    const text = small(`${conv(16)}[maxpool]\nsize=2\nstride=2\n[convolutional]\nfilters=14\nsize=1\nstride=1\nactivation=${activation}\n[yolo]\nmask=1,2\nanchors=4,5,10,14,23,27\nclasses=2\n${extra}\n`);
    const m = importDarknet(parseCfg(text, 't.cfg'), 't.cfg', { seed: 5 });
    const [head] = yoloMetadata(m)!;
    assert.deepEqual([head!.scaleXY ?? 1, head!.newCoords ?? false], [scaleXY, newCoords]);
    const [out] = await runCfg(text);
    const got = decodeYolo(out!, head!, [32, 32], 0, 0).map((d) => [d.x1, d.y1, d.x2, d.y2, d.score, d.cls]);
    const want = darknetDetections(out!, [1, 2], [4, 5, 10, 14, 23, 27], 2, scaleXY, newCoords, 32);
    assert.equal(got.length, 2 * 16 * 16 * 2, extra);
    got.forEach((d, i) => close(d, want[i]!, `${extra || 'plain'} detection ${i}`, 1e-5));
  }
});

test('cfg constructs lithe cannot import faithfully are refused, naming the file, line and option', () => {
  const refuse = (body: string, re: RegExp) => assert.throws(() => importDarknet(parseCfg(small(body), 'r.cfg'), 'r.cfg'), (e: unknown) => e instanceof CfgError && re.test(e.message), body);
  refuse(`${conv(6)}[route]\nlayers=-1\ngroups=4\ngroup_id=1\n${yoloOf(1)}`, /r\.cfg:11: \[route\] the 6 channels of layer 0 do not split into 4 groups/);
  refuse(`${conv(12)}[route]\nlayers=-1\ngroups=2\ngroup_id=2\n${yoloOf(1)}`, /\[route\] group_id=2 is not one of groups=2/);
  refuse(`${conv(6)}${conv(12)}[shortcut]\nfrom=-2\n${yoloOf(2)}`, /\[shortcut\] adds layer 0's 6 channels to 12/);
  refuse(`${conv(6)}${conv(6)}[shortcut]\nfrom=-2\nweights_type=per_channel\n${yoloOf(1)}`, /\[shortcut\] weights_type=per_channel is not supported/);
  refuse(`${conv(6, 'gelu')}${yoloOf(1)}`, /activation 'gelu' is not supported \(leaky, linear, logistic, mish, relu, relu6, swish, tanh\)/);
  refuse(`${conv(6)}dilation=2\n${yoloOf(1)}`, /\[convolutional\] dilation=2 is not supported \(lithe imports dilation=1\)/);
  refuse(`${conv(6)}[maxpool]\nsize=2\nmaxpool_depth=1\n${yoloOf(1)}`, /maxpool_depth=1 is not supported/);
  refuse(`${conv(8)}${yoloOf(1)}`, /\[yolo\] reads 8 channels, but 1 anchors x \(1 classes \+ 5\) are 6/);
  refuse(`${conv(6)}${yoloOf(1, 'new_coords=2')}`, /new_coords=2 is not 0 or 1/);
  refuse(conv(6), /r\.cfg: no \[yolo\] layer/);
  refuse(`${conv(6)}[reorg3d]\nstride=2\n${yoloOf(1)}`, /r\.cfg:11: darknet layer \[reorg3d\] is not supported/);
});

// ── yolov4 and yolov4-tiny: darknet's own figures ──

/** darknet's "Total BFLOPS": its conv terms (2 x MACs) plus maxpool (size² x C x out) and shortcut (out) terms. */
function darknetTotal(g: Graph, convFlops: number): number {
  const { types } = inferShapes(g, 13);
  const vol = (v: string) => types.get(v)!.shape!.slice(1).reduce<number>((a, d) => a * (d as number), 1);
  let extra = 0;
  for (const n of g.nodes) {
    if (n.opType === 'MaxPool') extra += vol(n.output[0]!) * (new Attrs(n).ints('kernel_shape')![0]! ** 2);
    if (n.opType === 'Add' && n.name.endsWith('.shortcut')) extra += vol(n.output[0]!);
  }
  return convFlops + extra;
}

test('yolov4-tiny.cfg at 416: 6,056,606 trainable params, 6,062,814 with BN statistics, 6.91 BFLOPs (3.454 conv GMACs)', () => {
  const file = 'zoo/yolov4-tiny.cfg';
  const g = Graph.fromModel(importDarknet(parseCfg(readFileSync(file, 'utf8'), file), file));
  assert.deepEqual(verify(g, { opset: 13 }), []);
  const s = modelStats(g, 13);
  assert.deepEqual([s.trainable, s.params, (s.macs / 1e9).toFixed(3), (s.flops / 1e9).toFixed(3)], [6_056_606, 6_062_814, '3.454', '6.908']);
  assert.equal((darknetTotal(g, s.flops) / 1e9).toFixed(3), '6.910'); // darknet prints 6.910; published 6.9
});

test('yolov4.cfg: 64,363,101 trainable params, 64,429,405 with BN statistics; 128.46 BFLOPs at 608 and 60.1 at 416 as darknet counts', () => {
  const file = 'zoo/yolov4.cfg';
  for (const [size, conv, total] of [[608, '128.389', '128.459'], [416, '60.105', '60.137']] as const) {
    const g = Graph.fromModel(importDarknet(parseCfg(readFileSync(file, 'utf8'), file), file, { size }));
    const s = modelStats(g, 13);
    assert.deepEqual([s.trainable, s.params, (s.flops / 1e9).toFixed(3), (darknetTotal(g, s.flops) / 1e9).toFixed(3)], [64_363_101, 64_429_405, conv, total], `at ${size}`);
    if (size === 608) assert.deepEqual(verify(g, { opset: 13 }), []);
  }
});

test('.weights for yolov4-tiny: every conv layer reads its floats in darknet\'s order (biases, scales, mean, variance, weights); routes and pools read none', () => {
  const file = 'zoo/yolov4-tiny.cfg';
  const floats = 6_062_814; // the size of the published yolov4-tiny.weights: 20 + 4 x 6,062,814 = 24,251,276 bytes
  const bytes = new Uint8Array(20 + 4 * floats);
  const v = new DataView(bytes.buffer);
  v.setInt32(0, 0, true); v.setInt32(4, 2, true); v.setInt32(8, 5, true);
  for (let i = 0; i < floats; i++) v.setFloat32(20 + 4 * i, i, true); // float i holds i: exact below 2^24
  const g = Graph.fromModel(importDarknet(parseCfg(readFileSync(file, 'utf8'), file), file, { weights: bytes, weightsFile: 'yolov4-tiny.weights' }));
  const read = (name: string) => { const t = g.initializers.get(name)!; return new Float32Array(t.rawData.slice().buffer); };
  let at = 0;
  const convs = g.nodes.filter((n) => n.opType === 'Conv').map((n) => n.name.slice(0, 10)).sort();
  assert.equal(convs.length, 21);
  for (const p of convs) {
    const w = read(`${p}.weight`);
    const n = g.initializers.get(`${p}.weight`)!.dims.map(Number)[0]!;
    const parts = g.initializers.has(`${p}.gamma`) ? ['beta', 'gamma', 'mean', 'var'] : ['bias'];
    for (const part of parts) { assert.equal(read(`${p}.${part}`)[0], at, `${p}.${part}`); at += n; }
    assert.deepEqual([w[0], w[w.length - 1]], [at, at + w.length - 1], `${p}.weight`);
    at += w.length;
  }
  assert.equal(at, floats);
});
