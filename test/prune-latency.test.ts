// Issue 19 item 3: latency-aware pruning. `latency 2x` / `latency 12ms` parse into the plan; allocation takes
// channels where the target's latency model says they cost the most time per unit of score, in blocks of the
// target's alignment, until the predicted latency meets the goal; a channel count off the alignment costs
// like the next aligned one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TensorProto_DataType as DT } from 'onnx-buf';
import { checkText } from '../src/plan/build.ts';
import { Graph } from '../src/onnx/graph.ts';
import { graph, model, node, tensor, valueInfo } from '../src/onnx/make.ts';
import { pruneGroups } from '../src/passes/prune/dependency/groups.ts';
import { allocate } from '../src/passes/prune/allocate.ts';
import { LatencyCost } from '../src/passes/prune/latency-cost.ts';
import { pruneModel } from '../src/passes/prune/prune-model.ts';
import { predictLatency } from '../src/latency/predict.ts';
import { loadTarget } from '../src/targets/load.ts';
import { zooByName } from '../src/zoo/registry.ts';

const w = (name: string, dims: number[]) => tensor(name, dims, Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i + name.length)));

/** x(8, 256²) → c1 3x3 → 16 at 256² → c2 3x3 stride 2 → 16 at 128² → c3 1x1 → 8 (the output). */
function chain() {
  const nodes = [
    node('Conv', ['x', 'w1'], ['a'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, 'c1'),
    node('Relu', ['a'], ['ar'], {}, 'r1'),
    node('Conv', ['ar', 'w2'], ['b'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] }, 'c2'),
    node('Relu', ['b'], ['br'], {}, 'r2'),
    node('Conv', ['br', 'w3'], ['y'], { kernel_shape: [1, 1] }, 'c3'),
  ];
  return model(graph('chain', nodes, [valueInfo('x', DT.FLOAT, [1, 8, 256, 256])], [valueInfo('y', DT.FLOAT, [1, 8, 128, 128])], [w('w1', [16, 8, 3, 3]), w('w2', [16, 16, 3, 3]), w('w3', [8, 16, 1, 1])]));
}

test('latency 2x and latency 12ms parse into the plan, in .cmp and YAML; a factor below 1x is refused', () => {
  const plan = (text: string, file = 'r.cmp') => checkText(file, text);
  assert.deepEqual(plan('model zoo:yolov3-tiny\ntarget tx2\nprune backbone l1 latency 2x\n').plan!.steps[0]!.params.amount, { latency: 2 });
  assert.deepEqual(plan('model zoo:yolov3-tiny\ntarget tx2\nprune backbone l1 latency 12ms\n').plan!.steps[0]!.params.amount, { latency_ms: 12 });
  const yaml = plan('model: zoo:yolov3-tiny\ntarget: tx2\nsteps:\n  - prune: {scope: backbone, criterion: l1, amount: {latency_ms: 12.5}}\n', 'r.yaml');
  assert.deepEqual(yaml.plan!.steps[0]!.params.amount, { latency_ms: 12.5 });
  const bad = plan('model zoo:yolov3-tiny\ntarget tx2\nprune backbone l1 latency 0.5x\n');
  assert.deepEqual(bad.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), ['CMP2002']);
});

test('channels go where they save the most predicted time per unit of score, in blocks of the alignment', () => {
  const tx2 = loadTarget('tx2');
  const m = chain();
  const g = Graph.fromModel(m);
  const groups = pruneGroups(g, { opset: 13 }).filter((x) => x.prunable);
  assert.deepEqual(groups.map((x) => x.id), ['c1', 'c2']);
  // equal scores: c1's channels cost more (its map is 4x larger, and c2 reads them), so c1 goes first
  const scores = new Map(groups.map((x) => [x.id, new Float32Array(x.channels).fill(1)]));
  const all = new Set(['c1', 'c2']);
  const a = allocate(g, groups, scores, { amount: { latency: 1.3 }, scope: all, round: tx2.channel_alignment, opset: 13, target: tx2 });
  assert.deepEqual([a.keep.get('c1')!.length, a.keep.get('c2')!.length], [8, 16]);
  assert.ok(a.reached && a.latency!.after <= a.latency!.goal);
  // scores tip it: c1's channels ten times as important, c2 gives up its block first
  const c1Matters = new Map([['c1', new Float32Array(16).fill(10)], ['c2', new Float32Array(16).fill(1)]]);
  const b = allocate(Graph.fromModel(m), groups, c1Matters, { amount: { latency: 1.1 }, scope: all, round: 8, opset: 13, target: tx2 });
  assert.deepEqual([b.keep.get('c1')!.length, b.keep.get('c2')!.length], [16, 8]);
});

test('a count off the alignment costs like the next aligned one; without a target the goal is refused by name', () => {
  const tx2 = loadTarget('tx2');
  const g = Graph.fromModel(chain());
  const groups = pruneGroups(g, { opset: 13 }).filter((x) => x.prunable);
  const cost = new LatencyCost(g, 13, groups, tx2);
  const c1 = groups[0]!;
  assert.equal(cost.at(c1, 9), cost.at(c1, 16));
  assert.ok(cost.at(c1, 8) < cost.at(c1, 9));
  const scores = new Map(groups.map((x) => [x.id, new Float32Array(x.channels).fill(1)]));
  assert.throws(() => allocate(g, groups, scores, { amount: { latency_ms: 1 }, scope: new Set(['c1']), opset: 13 }), /latency goal.*target NAME/);
});

test('pruneModel meets a latency goal on the whole latency model: zoo:yolov3-tiny at 128 on tx2', async () => {
  const tx2 = loadTarget('tx2');
  const m = zooByName.get('yolov3-tiny')!.build({ size: 128, seed: 0 });
  const before = predictLatency(m, tx2).ms;
  const scope = new Set(m.graph!.node.filter((n) => n.opType === 'Conv').map((n) => n.name));
  const r = await pruneModel(m, { scope, criterion: ['l1'], amount: { latency: 2 }, round: 8, target: tx2 });
  assert.ok(r.reached, JSON.stringify(r.latency));
  const after = predictLatency(r.model, tx2).ms;
  assert.ok(after <= before / 2 * 1.01, `${after} ms after, ${before} ms before`);
  assert.ok(Math.abs(r.latency!.after - after) < 1e-6);
  assert.ok(r.layers.every((l) => l.after === l.before || l.after % 8 === 0), JSON.stringify(r.layers));
});
