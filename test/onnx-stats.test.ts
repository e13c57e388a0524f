// Statistics against published figures: yolov3-tiny at 416x416, built layer by layer from the darknet
// definition in shared/notes/facts.md, has 8,852,366 trainable parameters (8,858,734 with BN running
// statistics) and 5.571 darknet BFLOPs, of which 2 x 2.782 G are convolution multiply-adds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { encodeModel } from '../src/onnx/io.ts';
import { Graph } from '../src/onnx/graph.ts';
import { modelStats } from '../src/onnx/stats.ts';
import { verify } from '../src/onnx/verify.ts';
import { DataType, graph, model, node, tensor, valueInfo } from '../src/onnx/make.ts';
import type { NodeProto, TensorProto } from 'onnx-buf';

/** yolov3-tiny.cfg as ONNX: conv+BN+leaky(0.1) layers, darknet's maxpools, route, upsample, concat. */
function yolov3Tiny(size = 416) {
  const nodes: NodeProto[] = [];
  const inits: TensorProto[] = [];
  const channels = new Map<string, number>([['image', 3]]);
  const zeros = (n: number) => new Float32Array(n);
  const conv = (i: number, from: string, filters: number, k: number, bn = true): string => {
    const cin = channels.get(from)!;
    const p = `layers.${String(i).padStart(3, '0')}`;
    inits.push(tensor(`${p}.weight`, [filters, cin, k, k], zeros(filters * cin * k * k).fill(0.01)));
    const pad = (k - 1) / 2;
    if (!bn) {
      inits.push(tensor(`${p}.bias`, [filters], zeros(filters)));
      nodes.push(node('Conv', [from, `${p}.weight`, `${p}.bias`], [`${p}.out`], { kernel_shape: [k, k], pads: [pad, pad, pad, pad] }, `${p}.conv`));
    } else {
      for (const s of ['gamma', 'beta', 'mean', 'var']) inits.push(tensor(`${p}.${s}`, [filters], zeros(filters).fill(s === 'var' || s === 'gamma' ? 1 : 0)));
      nodes.push(node('Conv', [from, `${p}.weight`], [`${p}.c`], { kernel_shape: [k, k], pads: [pad, pad, pad, pad] }, `${p}.conv`));
      nodes.push(node('BatchNormalization', [`${p}.c`, `${p}.gamma`, `${p}.beta`, `${p}.mean`, `${p}.var`], [`${p}.b`], {}, `${p}.bn`));
      nodes.push(node('LeakyRelu', [`${p}.b`], [`${p}.out`], { alpha: 0.1 }, `${p}.act`));
    }
    channels.set(`${p}.out`, filters);
    return `${p}.out`;
  };
  const pool = (i: number, from: string, stride: number): string => {
    const out = `layers.${String(i).padStart(3, '0')}.out`;
    nodes.push(node('MaxPool', [from], [out], { kernel_shape: [2, 2], strides: [stride, stride], pads: stride === 1 ? [0, 0, 1, 1] : [0, 0, 0, 0] }, `layers.${String(i).padStart(3, '0')}.pool`));
    channels.set(out, channels.get(from)!);
    return out;
  };
  let x = 'image';
  [16, 32, 64, 128, 256, 512].forEach((f, j) => { x = pool(2 * j + 1, conv(2 * j, x, f, 3), j < 5 ? 2 : 1); });
  const l8 = 'layers.008.out';
  const l13 = conv(13, conv(12, x, 1024, 3), 256, 1);
  const out1 = conv(15, conv(14, l13, 512, 3), 255, 1, false);
  const l18 = conv(18, l13, 128, 1);
  inits.push(tensor('scales', [4], Float32Array.from([1, 1, 2, 2])), tensor('roi', [0], zeros(0)));
  nodes.push(node('Resize', [l18, 'roi', 'scales'], ['layers.019.out'], { mode: 'nearest' }, 'layers.019.upsample'));
  nodes.push(node('Concat', ['layers.019.out', l8], ['layers.020.out'], { axis: 1 }, 'layers.020.route'));
  channels.set('layers.020.out', 384);
  const out2 = conv(22, conv(21, 'layers.020.out', 256, 3), 255, 1, false);
  const s = size / 32;
  return model(graph('yolov3-tiny', nodes, [valueInfo('image', DataType.FLOAT, ['N', 3, size, size])],
    [valueInfo(out1, DataType.FLOAT, ['N', 255, s, s]), valueInfo(out2, DataType.FLOAT, ['N', 255, 2 * s, 2 * s])], inits));
}

test('yolov3-tiny at 416: exactly the published parameter counts and darknet BFLOPs', () => {
  const g = Graph.fromModel(yolov3Tiny());
  assert.deepEqual(verify(g, { opset: 13 }), []);
  const s = modelStats(g, 13);
  assert.equal(s.trainable, 8_852_366);
  assert.equal(s.params, 8_858_734);
  assert.equal((s.macs / 1e9).toFixed(3), '2.782');
  assert.equal(s.flops, 2 * s.macs);
  assert.equal(s.weightBytes, (s.params + 4) * 4); // + the Resize scales, stored but not a parameter
});

test('the same graph runs in onnxruntime-node with 13x13 and 26x26 outputs of 255 channels', async () => {
  const m = yolov3Tiny(416);
  const sess = await ort.InferenceSession.create(encodeModel(m));
  const r = await sess.run({ image: new ort.Tensor('float32', new Float32Array(3 * 416 * 416).fill(0.5), [1, 3, 416, 416]) });
  assert.deepEqual(Object.values(r).map((t) => t.dims), [[1, 255, 13, 13], [1, 255, 26, 26]]);
});

test('per-node figures add up, and an initializer shared by two nodes counts once', () => {
  const w = tensor('w', [4, 3, 1, 1], new Float32Array(12));
  const g = graph('shared', [node('Conv', ['x', 'w'], ['a'], {}, 'c1'), node('Conv', ['x', 'w'], ['b'], {}, 'c2')],
    [valueInfo('x', DataType.FLOAT, [1, 3, 5, 5])], [valueInfo('a', DataType.FLOAT, [1, 4, 5, 5]), valueInfo('b', DataType.FLOAT, [1, 4, 5, 5])], [w]);
  const s = modelStats(Graph.fromModel(model(g)), 13);
  assert.deepEqual(s.nodes.map((n) => [n.name, n.params, n.macs, n.activationBytes]), [['c1', 12, 300, 400], ['c2', 0, 300, 400]]);
  assert.equal(s.params, 12);
  assert.equal(s.macs, 600);
});

test('lithe info prints the table, --json gives params/macs/flops at the top level, a broken file exits 2', async () => {
  const { main } = await import('../src/cli/main.ts');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { saveModel } = await import('../src/onnx/io.ts');
  const dir = mkdtempSync(join(tmpdir(), 'lithe-info-'));
  const path = join(dir, 'tiny.onnx');
  saveModel(yolov3Tiny(416), path);
  let out = '';
  let err = '';
  const io = { out: (t: string) => { out += t; }, err: (t: string) => { err += t; } };
  assert.equal(await main(['info', '--json', path], io), 0);
  const j = JSON.parse(out) as { params: number; macs: number; flops: number; trainable: number };
  assert.deepEqual([j.params, j.trainable, j.flops], [8_858_734, 8_852_366, 2 * j.macs]);
  out = '';
  assert.equal(await main(['info', path], io), 0);
  assert.match(out, /params +8,858,734 \(trainable 8,852,366\)/);
  assert.match(out, /MACs +2\.782 G/);
  writeFileSync(join(dir, 'junk.onnx'), 'not a model');
  assert.equal(await main(['info', join(dir, 'junk.onnx')], io), 2);
  assert.match(err, /junk\.onnx: not an ONNX model/);
  assert.doesNotMatch(err, /\n\s+at /);
});
