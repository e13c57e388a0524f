// ONNX load/save: models lithe writes load in onnxruntime-node and compute what they should; external data
// is read; broken files get an OnnxError naming the file; tensor bytes are views of the file, not copies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { create } from '@bufbuild/protobuf';
import { StringStringEntryProtoSchema, TensorProtoSchema, TensorProto_DataLocation, TensorProto_DataType } from 'onnx-buf';
import { float32Copy } from '../src/onnx/tensor.ts';
import { storeHalf } from '../src/onnx/storage.ts';
import { fromHalfBits, toHalfBits } from '../src/onnx/half.ts';
import { decodeModel, defaultOpset, encodeModel, loadModel, OnnxError, saveModel } from '../src/onnx/io.ts';
import { DataType, graph, model, node, tensor, valueInfo } from '../src/onnx/make.ts';

const dir = mkdtempSync(join(tmpdir(), 'lithe-onnx-'));

/** A 1x1 convolution 2→3 channels with bias, then Relu: small enough to check by hand. */
function convRelu() {
  const w = Float32Array.from([1, 2, -1, 0.5, 0, -3]); // [3, 2, 1, 1]
  const b = Float32Array.from([0.5, -1, 0]);
  const g = graph('conv_relu',
    [node('Conv', ['x', 'w', 'b'], ['y'], { kernel_shape: [1, 1] }), node('Relu', ['y'], ['z'])],
    [valueInfo('x', DataType.FLOAT, ['N', 2, 2, 2])], [valueInfo('z', DataType.FLOAT, ['N', 3, 2, 2])],
    [tensor('w', [3, 2, 1, 1], w), tensor('b', [3], b)]);
  return { m: model(g), w, b };
}

function expected(x: Float32Array, w: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(12);
  for (let o = 0; o < 3; o++) for (let p = 0; p < 4; p++) {
    const v = w[o * 2]! * x[p]! + w[o * 2 + 1]! * x[4 + p]! + b[o]!;
    out[o * 4 + p] = Math.max(0, v);
  }
  return out;
}

async function run(bytes: Uint8Array, x: Float32Array): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(bytes);
  const r = await s.run({ x: new ort.Tensor('float32', x, [1, 2, 2, 2]) });
  return r.z!.data as Float32Array;
}

test('a model lithe writes runs in onnxruntime-node and computes the right values', async () => {
  const { m, w, b } = convRelu();
  const path = join(dir, 'conv.onnx');
  saveModel(m, path);
  const x = Float32Array.from([1, -2, 3, 0.5, -1, 4, 2, -0.25]);
  const got = await run(readFileSync(path), x);
  const want = expected(x, w, b);
  for (let i = 0; i < 12; i++) assert.ok(Math.abs(got[i]! - want[i]!) < 1e-6, `${i}: ${got[i]} vs ${want[i]}`);
});

test('save then load gives the same model; lithe writes opset 13 and says why in the metadata', () => {
  const { m } = convRelu();
  const path = join(dir, 'rt.onnx');
  saveModel(m, path);
  const back = loadModel(path);
  assert.deepEqual(encodeModel(back), encodeModel(m));
  assert.equal(defaultOpset(back), 13);
  assert.match(back.metadataProps.find((p) => p.key === 'lithe.opset')!.value, /TensorRT 8\.2/);
});

test('tensor bytes are views of the file buffer, not copies', () => {
  const { m } = convRelu();
  const bytes = encodeModel(m);
  const back = decodeModel(bytes, 'mem.onnx');
  assert.equal(back.graph!.initializer[0]!.rawData.buffer, bytes.buffer);
});

test('external data beside the model is loaded into its tensors', async () => {
  const { m, w, b } = convRelu();
  const wt = m.graph!.initializer[0]!;
  const blob = new Uint8Array(8 + wt.rawData.length);
  blob.set(wt.rawData, 8); // at an offset, as exporters pack several tensors in one file
  writeFileSync(join(dir, 'weights.bin'), blob);
  wt.rawData = new Uint8Array(0);
  wt.dataLocation = TensorProto_DataLocation.EXTERNAL;
  wt.externalData = [['location', 'weights.bin'], ['offset', '8'], ['length', String(blob.length - 8)]]
    .map(([key, value]) => create(StringStringEntryProtoSchema, { key, value }));
  const path = join(dir, 'ext.onnx');
  saveModel(m, path);
  const back = loadModel(path);
  assert.equal(back.graph!.initializer[0]!.dataLocation, TensorProto_DataLocation.DEFAULT);
  const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
  const got = await run(encodeModel(back), x);
  assert.deepEqual(Array.from(got), Array.from(expected(x, w, b)));
});

test('external data outside the model folder or missing is an error naming the model', () => {
  const { m } = convRelu();
  const wt = m.graph!.initializer[0]!;
  wt.dataLocation = TensorProto_DataLocation.EXTERNAL;
  for (const [location, problem] of [['../secret.bin', /outside the model's folder/], ['nope.bin', /'nope.bin' is missing/]] as const) {
    wt.externalData = [create(StringStringEntryProtoSchema, { key: 'location', value: location })];
    const path = join(dir, 'bad-ext.onnx');
    saveModel(m, path);
    assert.throws(() => loadModel(path), (e: unknown) => e instanceof OnnxError && e.message.startsWith(path) && problem.test(e.message));
  }
});

test('not-ONNX, empty, truncated and missing files get an OnnxError naming the file', () => {
  const bytes = encodeModel(convRelu().m);
  const cases: [string, Uint8Array | undefined, RegExp][] = [
    ['empty.onnx', new Uint8Array(0), /empty file/],
    ['text.onnx', new TextEncoder().encode('model "x.onnx"\nprune backbone l1 0.5\n'), /not an ONNX model/],
    ['truncated.onnx', bytes.subarray(0, Math.floor(bytes.length * 0.6)), /not an ONNX model|truncated/],
    ['missing.onnx', undefined, /no such file/],
  ];
  for (const [name, data, problem] of cases) {
    const path = join(dir, name);
    if (data) writeFileSync(path, data);
    assert.throws(() => loadModel(path), (e: unknown) => e instanceof OnnxError && e.file === path && problem.test(e.message), name);
  }
});

test('IR versions and opsets outside what lithe reads are refused with the reason', () => {
  const old = convRelu().m;
  old.opsetImport[0]!.version = 6n;
  assert.throws(() => decodeModel(encodeModel(old), 'old.onnx'), /opset 6 is older than 7/);
  const future = convRelu().m;
  future.irVersion = 99n;
  assert.throws(() => decodeModel(encodeModel(future), 'future.onnx'), /unsupported ONNX IR version 99/);
});

test('lithe convert: load, verify, save; refuses a broken graph and never writes over its input', async () => {
  const { main } = await import('../src/cli/main.ts');
  const { existsSync } = await import('node:fs');
  let out = '';
  const io = { out: (t: string) => { out += t; }, err: () => {} };
  const src = join(dir, 'in.onnx');
  saveModel(convRelu().m, src);
  assert.equal(await main(['convert', src, join(dir, 'out.onnx')], io), 0);
  assert.deepEqual(encodeModel(loadModel(join(dir, 'out.onnx'))), encodeModel(loadModel(src)));
  assert.equal(await main(['convert', src, src], io), 2);
  const broken = convRelu().m;
  broken.graph!.node[1]!.input[0] = 'ghost';
  saveModel(broken, join(dir, 'broken.onnx'));
  assert.equal(await main(['convert', join(dir, 'broken.onnx'), join(dir, 'never.onnx')], io), 1);
  assert.match(out, /reads 'ghost', which nothing produces/);
  assert.equal(existsSync(join(dir, 'never.onnx')), false);
  // --half-weights and --profile: float16 weights in the file, the profile in its metadata; unknown profiles refused
  assert.equal(await main(['convert', src, join(dir, 'half.onnx'), '--half-weights', '--profile', 'yolov3-tiny'], io), 0);
  const half = decodeModel(readFileSync(join(dir, 'half.onnx')), 'half.onnx');
  assert.equal(half.graph!.initializer.find((t) => t.name === 'w__fp16')?.dataType, TensorProto_DataType.FLOAT16);
  assert.equal(half.metadataProps.find((p) => p.key === 'lithe.profile')?.value, 'yolov3-tiny');
  assert.equal(await main(['convert', src, join(dir, 'never.onnx'), '--profile', 'yolov3-tinny'], io), 2);
  assert.equal(existsSync(join(dir, 'never.onnx')), false);
});

test('float32Copy copies raw data at any byte offset (tensors of a loaded file are views into one buffer)', () => {
  const bytes = new Uint8Array(13);
  new DataView(bytes.buffer).setFloat32(1, 1.5, true);
  new DataView(bytes.buffer).setFloat32(5, -2, true);
  const t = create(TensorProtoSchema, { name: 'w', dims: [2n], dataType: TensorProto_DataType.FLOAT, rawData: bytes.subarray(1, 9) });
  assert.deepEqual([...(float32Copy(t) as Float32Array)], [1.5, -2]);
  assert.match(float32Copy({ ...t, dims: [3n] }) as string, /8 bytes for 3 floats/);
  assert.match(float32Copy({ ...t, dataType: TensorProto_DataType.INT64 }) as string, /not float32/);
});

test('float16 storage: weights stored as float16 behind a Cast run anywhere, and load back as float32', async () => {
  const { m, w, b } = convRelu(); // weights exact in float16
  const path = join(dir, 'half.onnx');
  saveModel(storeHalf(convRelu().m), path);
  const raw = decodeModel(readFileSync(path), path);
  assert.equal(raw.graph!.initializer.find((t) => t.name === 'w__fp16')!.dataType, TensorProto_DataType.FLOAT16);
  assert.equal(raw.graph!.node[0]!.opType, 'Cast');
  const x = Float32Array.from([1, -2, 3, 0.5, -1, 4, 2, -0.25]);
  assert.deepEqual(await run(readFileSync(path), x), expected(x, w, b));
  assert.deepEqual(encodeModel(loadModel(path)), encodeModel(m));

  const odd = convRelu().m;
  odd.graph!.initializer[0] = tensor('w', [3, 2, 1, 1], Float32Array.from([0.1, 1 / 3, -1e-5, 70000, 2, 3]));
  saveModel(storeHalf(odd), path);
  const back = float32Copy(loadModel(path).graph!.initializer[0]!) as Float32Array;
  assert.deepEqual([...back], [0.1, 1 / 3, -1e-5, 70000, 2, 3].map((v) => Math.fround(fromHalfBits(toHalfBits(v)))));
});
