// The writer never loses data: seeded random tensors of every ONNX element type, stored every way onnx.proto
// allows (raw_data or the typed field; scalars and 0-sized ones), as initializers, Constant values and
// subgraph initializers, come back bit for bit through every path lithe writes models by — saveModel and
// loadModel, Graph.fromModel and back, the upgrade's copy, a run folder's model, an export — with a typed
// tensor never given an empty raw_data (onnxruntime reads that as its data); external data comes back as
// raw_data; and onnxruntime loads what lithe wrote (every type, every place) and hands back the stored
// values of the 13 types it returns (bfloat16 through a Cast).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { create, isFieldSet } from '@bufbuild/protobuf';
import { StringStringEntryProtoSchema, TensorProtoSchema, TensorProto_DataLocation, TensorProto_DataType as DT, type ModelProto, type TensorProto } from 'onnx-buf';
import { decodeModel, encodeModel, loadModel, modelChunks, saveModel } from '../src/onnx/io.ts';
import { Graph } from '../src/onnx/graph.ts';
import { tensorsOf } from '../src/onnx/walk.ts';
import { rawBytes } from '../src/onnx/dtypes.ts';
import { cloneSharingBytes } from '../src/onnx/upgrade/clone.ts';
import { graph, model, node, valueInfo } from '../src/onnx/make.ts';
import { RunFolder } from '../src/run/folder.ts';
import { runExport } from '../src/passes/export/run.ts';
import { ALL_TYPES, ORT_TYPES, RandomTensors, runnableModel, tensorModel } from './support/tensors.ts';

const dir = mkdtempSync(join(tmpdir(), 'lithe-tensors-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SEEDS = Array.from({ length: 12 }, (_, i) => 1000 + i);
const RAW = TensorProtoSchema.field.rawData!;

/** Everything a tensor stores, in a form deepEqual compares bit for bit (float fields as their bits). */
function stored(t: TensorProto): { raw: number[] | 'absent' } & Record<string, unknown> {
  const f32 = (v: number) => { const b = new DataView(new ArrayBuffer(4)); b.setFloat32(0, v); return Number.isNaN(v) ? 'NaN' : b.getUint32(0); };
  const f64 = (v: number) => { const b = new DataView(new ArrayBuffer(8)); b.setFloat64(0, v); return Number.isNaN(v) ? 'NaN' : b.getBigUint64(0); };
  return {
    name: t.name, dataType: t.dataType, dims: [...t.dims], location: t.dataLocation,
    raw: isFieldSet(t, RAW) ? [...t.rawData] : 'absent',
    floatData: t.floatData.map(f32), doubleData: t.doubleData.map(f64), int32Data: [...t.int32Data], int64Data: [...t.int64Data],
    uint64Data: [...t.uint64Data], stringData: t.stringData.map((s) => [...s]),
    externalData: t.externalData.map((e) => [e.key, e.value]),
  };
}

const everyTensor = (m: ModelProto) => [...tensorsOf(m.graph)].map((s) => ({ where: s.where, ...stored(s.tensor) }));

function assertSame(got: ModelProto, want: ModelProto, how: string): void {
  const [a, b] = [everyTensor(got), everyTensor(want)];
  assert.equal(a.length, b.length, `${how}: tensor count`);
  for (let i = 0; i < b.length; i++) assert.deepEqual(a[i], b[i], `${how}: ${b[i]!.where}`);
}

test(`property: ${SEEDS.length} seeds × ${ALL_TYPES.length} types × 8 random tensors in initializers, Constants and subgraphs survive every writer bit for bit`, async () => {
  let tensors = 0;
  for (const seed of SEEDS) {
    const m = tensorModel(seed);
    const want = everyTensor(m);
    tensors += want.length;
    assert.ok(want.some((t) => t.raw === 'absent') && want.some((t) => t.raw !== 'absent'), 'both storages drawn');
    const file = join(dir, `p${seed}.onnx`);
    saveModel(m, file);
    const loaded = loadModel(file);
    assertSame(loaded, m, `seed ${seed}: saveModel + loadModel`);
    const chunks = modelChunks(m);
    const joined = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
    chunks.reduce((at, c) => { joined.set(c, at); return at + c.length; }, 0);
    assert.deepEqual(readFileSync(file), Buffer.from(joined), `seed ${seed}: the file is the chunks`);
    assertSame(decodeModel(encodeModel(Graph.fromModel(loaded).toModel(loaded)), 'g'), m, `seed ${seed}: Graph.fromModel → toModel → encodeModel`);
    assertSame(decodeModel(encodeModel(cloneSharingBytes(loaded)), 'c'), m, `seed ${seed}: the upgrade's copy`);
    assertSame(loaded, m, `seed ${seed}: the loaded model after Graph.fromModel and the copy`); // both leave it as it was
    const folder = new RunFolder(join(dir, `run${seed}`));
    folder.writeModel('01-step.onnx', loaded);
    assertSame(folder.readModel('01-step.onnx'), m, `seed ${seed}: a run folder's model`);
    folder.release();
    const out = join(dir, `export${seed}`, 'model.onnx');
    await runExport({ params: { format: 'onnx', path: out } } as never, { dir, plan: {}, checkOutput: () => {}, log: () => {} } as never, loaded);
    assertSame(loadModel(out), m, `seed ${seed}: an export`);
    // onnxruntime loads the file lithe wrote, every type in every place, and runs it
    const s = await ort.InferenceSession.create(readFileSync(file), { logSeverityLevel: 4 });
    const y = await s.run({ x: new ort.Tensor('float32', Float32Array.of(1, -2), [2]) });
    assert.deepEqual([...(y.y!.data as Float32Array)], [1, -2]);
    await s.release();
  }
  assert.ok(tensors > 2000, `${tensors} tensors`);
});

test('property: a typed-field tensor is written without raw_data, and a 0-sized raw one keeps its empty raw_data', () => {
  const r = new RandomTensors(7);
  for (const t of ALL_TYPES) {
    const typed = r.tensor(t, [2, 3], false);
    const empty = r.tensor(t, [0, 3], t !== DT.STRING);
    const m = tensorModel(1, [], 0);
    m.graph!.initializer.push(typed, empty);
    const back = decodeModel(encodeModel(Graph.fromModel(decodeModel(Buffer.concat(modelChunks(m)), 'm')).toModel(m)), 'm');
    const [a, b] = back.graph!.initializer.slice(-2);
    assert.equal(isFieldSet(a!, RAW), false, `${DT[t]}: typed data and no raw_data`);
    assert.equal(isFieldSet(b!, RAW), t !== DT.STRING, `${DT[t]}: a 0-sized raw tensor`);
  }
});

test('property: external data of every fixed-width type is read in as raw_data and written inline, the same bytes', () => {
  const r = new RandomTensors(99);
  const folder = join(dir, 'external');
  mkdirSync(folder);
  const m = tensorModel(1, [], 0);
  const want: TensorProto[] = [];
  let blob = new Uint8Array(0);
  for (const t of ALL_TYPES.filter((x) => rawBytes(x, 1) !== undefined)) {
    const tensor = r.tensor(t, [3, 2], true);
    want.push(create(TensorProtoSchema, tensor));
    const offset = blob.length + 3; // not aligned, as packed files are not
    const next = new Uint8Array(offset + tensor.rawData.length);
    next.set(blob);
    next.set(tensor.rawData, offset);
    blob = next;
    const ext = create(TensorProtoSchema, { name: tensor.name, dims: tensor.dims, dataType: t, dataLocation: TensorProto_DataLocation.EXTERNAL });
    ext.externalData = [['location', 'weights.bin'], ['offset', String(offset)], ['length', String(tensor.rawData.length)]].map(([key, value]) => create(StringStringEntryProtoSchema, { key, value }));
    m.graph!.initializer.push(ext);
  }
  writeFileSync(join(folder, 'weights.bin'), blob);
  saveModel(m, join(folder, 'm.onnx'));
  const file = join(dir, 'inline.onnx');
  saveModel(loadModel(join(folder, 'm.onnx')), file);
  const back = decodeModel(readFileSync(file), file).graph!.initializer.slice(-want.length);
  assert.deepEqual(back.map(stored), want.map(stored));
});

/** The bytes onnxruntime hands back for a tensor stored as `t`, in its JS form. */
function expectedOrt(t: TensorProto): unknown[] | Uint8Array {
  if (t.dataType === DT.STRING) return t.stringData.map((s) => new TextDecoder().decode(s));
  if (isFieldSet(t, RAW)) return Uint8Array.from(t.rawData);
  const arrays: Partial<Record<number, (v: TensorProto) => ArrayBufferView>> = {
    [DT.FLOAT]: (v) => Float32Array.from(v.floatData), [DT.DOUBLE]: (v) => Float64Array.from(v.doubleData),
    [DT.INT64]: (v) => BigInt64Array.from(v.int64Data), [DT.UINT64]: (v) => BigUint64Array.from(v.uint64Data),
    [DT.UINT32]: (v) => Uint32Array.from(v.uint64Data, Number), [DT.INT32]: (v) => Int32Array.from(v.int32Data),
    [DT.INT16]: (v) => Int16Array.from(v.int32Data), [DT.UINT16]: (v) => Uint16Array.from(v.int32Data), [DT.FLOAT16]: (v) => Uint16Array.from(v.int32Data),
    [DT.INT8]: (v) => Int8Array.from(v.int32Data), [DT.UINT8]: (v) => Uint8Array.from(v.int32Data), [DT.BOOL]: (v) => Uint8Array.from(v.int32Data),
  };
  const a = arrays[t.dataType]!(t);
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

test('property: bfloat16 values, raw and in int32_data, read by onnxruntime through a Cast to float', async () => {
  const r = new RandomTensors(5);
  const tensors = [r.tensor(DT.BFLOAT16, [3, 4], true), r.tensor(DT.BFLOAT16, [3, 4], false), r.tensor(DT.BFLOAT16, [], false)];
  const nodes = tensors.map((t) => node('Cast', [t.name], [`out_${t.name}`], { to: DT.FLOAT }, `cast_${t.name}`));
  const file = join(dir, 'bf16.onnx');
  saveModel(model(graph('bf16', nodes, [], tensors.map((t) => valueInfo(`out_${t.name}`, DT.FLOAT, t.dims.map(Number))), tensors)), file);
  const out = await (await ort.InferenceSession.create(readFileSync(file), { logSeverityLevel: 4 })).run({});
  for (const t of tensors) {
    const bits = isFieldSet(t, RAW) ? [...new Uint16Array(Uint8Array.from(t.rawData).buffer)] : t.int32Data;
    const want = new Float32Array(new Uint32Array(bits.map((b) => b * 65536)).buffer);
    assert.deepEqual(new Uint8Array((out[`out_${t.name}`]!.data as Float32Array).buffer), new Uint8Array(want.buffer), t.name);
  }
});

test(`property: onnxruntime loads what lithe wrote and hands back every stored value (${ORT_TYPES.length} types it returns, 3 places each)`, async () => {
  for (const seed of SEEDS.slice(0, 6)) {
    const { model: m, expected } = runnableModel(seed);
    const file = join(dir, `ort${seed}.onnx`);
    saveModel(m, file);
    const loaded = loadModel(file);
    const rewritten = join(dir, `ort${seed}-graph.onnx`);
    saveModel(Graph.fromModel(loaded).toModel(loaded), rewritten);
    for (const path of [file, rewritten]) {
      const s = await ort.InferenceSession.create(readFileSync(path), { logSeverityLevel: 4 });
      const out = await s.run({});
      for (const [name, t] of expected) {
        const got = out[name]!;
        assert.deepEqual(got.dims, t.dims.map(Number), `${path}: ${name} dims`);
        const data = got.data as ArrayBufferView | string[];
        const bytes = Array.isArray(data) ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        assert.deepEqual(bytes, expectedOrt(t), `${path}: ${name} (${DT[t.dataType]}, ${isFieldSet(t, RAW) ? 'raw_data' : 'typed field'})`);
      }
      await s.release();
    }
  }
});
