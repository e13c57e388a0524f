// The verifier's parts that the corpus (robust-models.test.ts) does not pin down one by one: the opset range
// against onnxruntime, the schema table against the onnx package it is dumped from, trust in the table only
// up to its newest opset, onnxruntime's reasons in lithe's words, convert's onnxruntime backstop, typed
// tensor data kept intact, and info naming the nodes it cannot follow.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { clearField, create, isFieldSet } from '@bufbuild/protobuf';
import { TensorProtoSchema, TensorProto_DataType as DT, ValueInfoProtoSchema } from 'onnx-buf';
import { encodeModel, loadModel, MAX_OPSET, saveModel } from '../src/onnx/io.ts';
import { Graph } from '../src/onnx/graph.ts';
import { verifyModel } from '../src/onnx/verify.ts';
import { schemaAt, schemaOrigin } from '../src/onnx/schema/table.ts';
import { ortReason } from '../src/runtime/session.ts';
import { DataType, graph, model, node, tensor, valueInfo } from '../src/onnx/make.ts';
import { main } from '../src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'lithe-verify-'));
after(() => rmSync(dir, { recursive: true, force: true }));
/** A graph output whose type onnxruntime and lithe infer. */
const untyped = (name: string) => create(ValueInfoProtoSchema, { name });
const relu = (opset: number, op = 'Relu', inputs = ['x']) => model(graph('g', [node(op, inputs, ['y'], {}, 'n')],
  [valueInfo('x', DataType.FLOAT, [1, 2, 3])], [untyped('y')], inputs.length > 1 ? [tensor('k', [1], BigInt64Array.from([1n]))] : []), { opset, irVersion: 10n });

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  return main(args, { out: (t) => { out += t; }, err: (t) => { err += t; } }).then((code) => ({ code, out, err }));
}

test(`MAX_OPSET (${MAX_OPSET}) is the newest opset onnxruntime-node loads`, async () => {
  await (await ort.InferenceSession.create(encodeModel(relu(MAX_OPSET)), { logSeverityLevel: 4 })).release();
  await assert.rejects(ort.InferenceSession.create(encodeModel(relu(MAX_OPSET + 1)), { logSeverityLevel: 4 }));
});

test('the op schema table is what scripts/op-schemas.py dumps from the onnx package', { skip: !existsSync('/usr/bin/python3') }, (t) => {
  const out = join(dir, 'op-schemas.json');
  try {
    execFileSync('/usr/bin/python3', ['scripts/op-schemas.py', out], { stdio: 'pipe' });
  } catch {
    t.skip('no onnx package for /usr/bin/python3');
    return;
  }
  assert.equal(readFileSync(out, 'utf8'), readFileSync(new URL('../src/onnx/schema/op-schemas.json', import.meta.url), 'utf8'));
  assert.equal(schemaOrigin().maxOpset, 17);
  const conv = schemaAt('Conv', 13)!;
  assert.deepEqual([conv.since, conv.inputs.min, conv.inputs.max, [...conv.attrs.keys()].sort().join()], [11, 2, 3, 'auto_pad,dilations,group,kernel_shape,pads,strides']);
  assert.equal(schemaAt('HardSwish', 13), undefined);
  assert.equal(schemaAt('Upsample', 13)!.deprecated, true);
});

test('past the table\'s newest opset, schemas are not trusted: ReduceMean\'s axes input (opset 18) is accepted and loads', async () => {
  const m = relu(18, 'ReduceMean', ['x', 'k']);
  assert.deepEqual(verifyModel(m, 18), []);
  await (await ort.InferenceSession.create(encodeModel(m), { logSeverityLevel: 4 })).release();
  assert.match(verifyModel(relu(13, 'ReduceMean', ['x', 'k']), 13)[0]!.message, /has 2 inputs; ReduceMean takes 1/);
  // an op neither the table nor lithe's shape rules know is unknown at any opset
  assert.match(verifyModel(relu(21, 'Frobnicate'), 21)[0]!.message, /unknown op 'Frobnicate' \(not an ONNX operator up to opset 17, and lithe has no rule for it at opset 21\)/);
});

test('onnxruntime\'s reasons in a line a user can read', () => {
  const cases: [string, string][] = [
    ['This is an invalid model. In Node, ("y", Relu, "", -1) : ("x": tensor(float),) -> ("y": tensor(float),) , Error Unrecognized attribute: foo for operator Relu', "node 'y' (Relu): Unrecognized attribute: foo for operator Relu"],
    ['Node (y) Op (Conv) [ShapeInferenceError] Attribute strides must only contain positive values', 'Node (y) Op (Conv) Attribute strides must only contain positive values'],
    ['Exception during initialization: /onnxruntime_src/onnxruntime/core/providers/cpu/rnn/rnn.h:48 onnxruntime::RNN<T>::RNN(const onnxruntime::OpKernelInfo&) [with T = float] layout_ == 0 was false. Batchwise recurrent operations (layout == 1) are not supported.', '[with T = float] layout_ == 0 was false. Batchwise recurrent operations (layout == 1) are not supported.'],
    ['[ONNXRuntimeError] : 1 : FAIL : Load model from x.onnx failed:bad\nmore', 'bad'],
  ];
  for (const [raw, want] of cases) assert.equal(ortReason(raw), want);
});

test('convert\'s backstop: a model onnxruntime cannot load is not written, and the reason is lithe\'s message', async () => {
  // RNN with batch-first layout: valid ONNX (the verifier accepts it), but onnxruntime has no kernel for it
  const g = graph('rnn', [node('RNN', ['x', 'w', 'r'], ['y'], { hidden_size: 2, layout: 1 }, 'rnn')],
    [valueInfo('x', DataType.FLOAT, [1, 3, 2])], [untyped('y')],
    [tensor('w', [1, 2, 2], new Float32Array(4)), tensor('r', [1, 2, 2], new Float32Array(4))]);
  const src = join(dir, 'rnn.onnx');
  saveModel(model(g, { opset: 14 }), src);
  const r = await cli(['convert', src, join(dir, 'rnn-out.onnx')]);
  assert.equal(r.code, 1);
  assert.match(r.err, /rnn\.onnx: not converted: onnxruntime cannot load the model: .*layout/);
  assert.doesNotMatch(r.err, /onnxruntime_src|\w+::\w+/);
  assert.equal(existsSync(join(dir, 'rnn-out.onnx')), false);
});

test('tensors with typed-field data keep no raw_data through Graph.fromModel and saveModel, and load in onnxruntime', async () => {
  const m = relu(13, 'Add', ['x', 'b']);
  m.graph!.initializer = [create(TensorProtoSchema, { name: 'b', dims: [1n], dataType: DT.FLOAT, floatData: [0.5] })];
  Graph.fromModel(m);
  assert.equal(isFieldSet(m.graph!.initializer[0]!, TensorProtoSchema.field.rawData!), false);
  const path = join(dir, 'typed.onnx');
  saveModel(m, path);
  const back = loadModel(path);
  assert.deepEqual([isFieldSet(back.graph!.initializer[0]!, TensorProtoSchema.field.rawData!), back.graph!.initializer[0]!.floatData], [false, [0.5]]);
  await (await ort.InferenceSession.create(readFileSync(path), { logSeverityLevel: 4 })).release();
  // the empty raw_data onnxruntime would read instead is named by the verifier
  back.graph!.initializer[0]!.rawData = new Uint8Array(0);
  assert.match(verifyModel(back, 13)[0]!.message, /initializer 'b' holds its data twice \(raw_data, present but empty, and float_data\)/);
  clearField(back.graph!.initializer[0]!, TensorProtoSchema.field.rawData!);
  assert.deepEqual(verifyModel(back, 13), []);
});

test('info names the node shape inference cannot follow, and the MACs it leaves out, rather than printing 0 silently', async () => {
  const g = graph('g', [node('Floor', ['x'], ['f'], {}, 'floor'), node('Conv', ['f', 'w'], ['y'], {}, 'conv')],
    [valueInfo('x', DataType.FLOAT, [1, 2, 8, 8])], [untyped('y')], [tensor('w', [4, 2, 1, 1], new Float32Array(8))]);
  const path = join(dir, 'floor.onnx');
  saveModel(model(g), path);
  const r = await cli(['info', path]);
  assert.equal(r.code, 0);
  assert.match(r.out, /MACs +0\.000 G \+ 1 node not counted, from 'conv': their shapes are unknown/);
  assert.match(r.out, /shapes +unknown after node 'floor' \(Floor\): lithe has no shape rule for that op/);
  const j = JSON.parse((await cli(['info', '--json', path])).out) as { uncounted: string[]; unfollowed: { node: string; op: string }[] };
  assert.deepEqual([j.uncounted, j.unfollowed], [['conv'], [{ node: 'floor', op: 'Floor' }]]);
});
