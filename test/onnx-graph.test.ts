// The mutable Graph: indexes, safe edits, topological order and the verifier, checked on small graphs and,
// where it matters, by running the edited model in onnxruntime-node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { encodeModel } from '../src/onnx/io.ts';
import { Graph, GraphError } from '../src/onnx/graph.ts';
import { verify } from '../src/onnx/verify.ts';
import { DataType, graph, model, node, tensor, valueInfo } from '../src/onnx/make.ts';

/** x → Conv(1x1, 2→2) → y → Relu → z → Sigmoid → out */
function chain() {
  const w = Float32Array.from([1, -1, 0.5, 2]);
  return model(graph('chain',
    [node('Conv', ['x', 'w'], ['y'], { kernel_shape: [1, 1] }, 'conv'), node('Relu', ['y'], ['z'], {}, 'relu'), node('Sigmoid', ['z'], ['out'], {}, 'sig')],
    [valueInfo('x', DataType.FLOAT, [1, 2, 1, 1])], [valueInfo('out', DataType.FLOAT, [1, 2, 1, 1])],
    [tensor('w', [2, 2, 1, 1], w), tensor('unused', [1], Float32Array.from([0]))]));
}

async function run(m: ReturnType<typeof chain>, x: number[]): Promise<number[]> {
  const s = await ort.InferenceSession.create(encodeModel(m));
  const r = await s.run({ x: new ort.Tensor('float32', Float32Array.from(x), [1, 2, 1, 1]) });
  return Array.from(r.out!.data as Float32Array);
}

test('producer and consumer indexes follow edits', () => {
  const g = Graph.fromModel(chain());
  assert.equal(g.producer('y')!.name, 'conv');
  assert.deepEqual(g.consumers('y').map((n) => n.name), ['relu']);
  g.remove(g.node('relu')!);
  assert.deepEqual(g.consumers('y'), []);
  assert.equal(g.producer('z'), undefined);
});

test('edits never touch the model the graph came from', () => {
  const m = chain();
  const before = encodeModel(m);
  const g = Graph.fromModel(m);
  g.remove(g.node('relu')!);
  g.rename('w', 'weight');
  assert.deepEqual(encodeModel(m), before);
});

test('removing a node and rewiring around it gives a valid model that runs', async () => {
  const m = chain();
  const g = Graph.fromModel(m);
  g.remove(g.node('relu')!);
  g.rewire('z', 'y');
  assert.deepEqual(verify(g), []);
  const out = await run(g.toModel(m), [1, 2]);
  // conv: [1*1 + -1*2, 0.5*1 + 2*2] = [-1, 4.5]; no Relu, so sigmoid(-1), sigmoid(4.5)
  assert.deepEqual(out.map((v) => +v.toFixed(5)), [1 / (1 + Math.exp(1)), 1 / (1 + Math.exp(-4.5))].map((v) => +v.toFixed(5)));
});

test('inserted nodes are put in topological order, and the model runs unchanged', async () => {
  const m = chain();
  const g = Graph.fromModel(m);
  const id = g.freshName('y');
  g.rewire('y', id);
  g.insert([node('Identity', ['y'], [id], {}, g.freshName('identity'))]); // appended at the end: out of order
  assert.throws(() => g.nodes.forEach((n, i) => g.nodes.slice(i + 1).forEach((later) => {
    if (n.input.some((x) => later.output.includes(x))) throw new Error('out of order');
  })));
  g.sort();
  assert.deepEqual(verify(g), []);
  assert.deepEqual(g.nodes.map((n) => n.opType), ['Conv', 'Identity', 'Relu', 'Sigmoid']);
  assert.deepEqual(await run(g.toModel(m), [1, 2]), await run(m, [1, 2]));
});

test('rename changes a value everywhere and refuses a taken name', async () => {
  const m = chain();
  const g = Graph.fromModel(m);
  g.rename('w', 'conv.weight');
  g.rename('out', 'probabilities');
  assert.ok(g.initializers.has('conv.weight'));
  assert.equal(g.outputs[0]!.name, 'probabilities');
  assert.deepEqual(verify(g), []);
  assert.throws(() => g.rename('y', 'z'), GraphError);
});

test('unused initializers are dropped', () => {
  const g = Graph.fromModel(chain());
  assert.deepEqual(g.dropUnusedInitializers(), ['unused']);
});

test('the verifier names dangling edges, duplicates, missing outputs and cycles', () => {
  const g = Graph.fromModel(chain());
  g.node('relu')!.input[0] = 'ghost';
  g.node('sig')!.name = 'conv';
  g.insert([node('Neg', ['x'], ['y'], {}, 'neg')]);
  g.outputs.push(valueInfo('nowhere', DataType.FLOAT, [1]));
  g.touched();
  const messages = verify(g).map((p) => p.message);
  assert.ok(messages.some((m) => /reads 'ghost', which nothing produces/.test(m)));
  assert.ok(messages.some((m) => /two nodes are named 'conv'/.test(m)));
  assert.ok(messages.some((m) => /value 'y' is produced twice/.test(m)));
  assert.ok(messages.some((m) => /graph output 'nowhere' is not produced/.test(m)));

  const c = Graph.fromModel(chain());
  c.node('conv')!.input[0] = 'out'; // out ← sig ← relu ← conv ← out
  c.touched();
  assert.throws(() => c.topologicalOrder(), /cycle through node/);
  assert.ok(verify(c).some((p) => /cycle/.test(p.message)));
});

test('a graph shares its tensors bytes with the model (no copy of the weights), and replacing them leaves the model alone', () => {
  const m = chain();
  const g = Graph.fromModel(m);
  const w = g.initializers.get('w')!;
  assert.equal(w.rawData, m.graph!.initializer[0]!.rawData);
  w.rawData = new Uint8Array(16);
  w.dims = [2n, 2n, 1n, 1n];
  assert.notEqual(m.graph!.initializer[0]!.rawData, w.rawData);
  assert.equal(m.graph!.initializer[0]!.rawData.length, 16);
  assert.notEqual(w, m.graph!.initializer[0]);
});
