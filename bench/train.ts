// `npm run bench:train`: the cost of training the baseline detector on this machine. Forward time (an
// inference session at batch 8, onnxruntime's optimisations on: BN folded into the convolutions, NCHWc
// kernels), the training step's own forward (BN on batch statistics, weights fed as inputs, so none of those
// apply), training-step time (forward, loss, backward, in one onnxruntime run), images/s, and the peak
// resident memory; the target is a step of at most 4× the forward (PyTorch is about 3×, measured against its
// own training-mode forward). The baseline is models/shapes-yolo.onnx when present, else the same
// architecture from the zoo. Prints a Markdown table; always exits 0.
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import * as ort from 'onnxruntime-node';
import { create } from '@bufbuild/protobuf';
import { ModelProtoSchema, ValueInfoProtoSchema, type NodeProto } from 'onnx-buf';
import { Graph } from '../src/onnx/graph.ts';
import { loadModel } from '../src/onnx/io.ts';
import { zooByName } from '../src/zoo/registry.ts';
import { createSession } from '../src/runtime/session.ts';
import { TrainingSession } from '../src/train/session.ts';
import { yoloFeeds, yoloHeads, yoloLoss } from '../src/train/loss/yolo-loss.ts';
import type { HeadGeometry } from '../src/train/loss/yolo-targets.ts';

const BATCH = 8;
const SIZE = Number(process.env.LITHE_BENCH_SIZE ?? 320);
const RUNS = 5;
const baseline = 'models/shapes-yolo.onnx';
const model = existsSync(baseline) ? loadModel(baseline) : zooByName.get('yolov3-tiny')!.build({ size: SIZE, classes: 9, seed: 0 });
const source = existsSync(baseline) ? baseline : `zoo yolov3-tiny, 9 classes, ${SIZE}x${SIZE}`;

let peak = 0;
const sample = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function timed(f: () => Promise<unknown>, warm = 2): Promise<number> {
  for (let i = 0; i < warm; i++) await f();
  const ts: number[] = [];
  for (let i = 0; i < RUNS; i++) { const t = performance.now(); await f(); ts.push(performance.now() - t); }
  return median(ts);
}

const input = Float32Array.from({ length: BATCH * 3 * SIZE * SIZE }, (_, i) => (i % 251) / 251);
const inference = await createSession(model, { threads: 2 });
const forward = await timed(() => inference.run({ [inference.inputNames[0]!]: new ort.Tensor('float32', input, [BATCH, 3, SIZE, SIZE]) }));
await inference.release();

let heads: HeadGeometry[] = [];
const t0 = performance.now();
const session = await TrainingSession.create(model, { batch: BATCH, threads: 2, loss: (b) => { heads = yoloHeads(model, SIZE, b.shape); return yoloLoss(b, heads, SIZE, BATCH); } });
const build = performance.now() - t0;
// a few objects per image, so the loss has positives as in real batches
const targets = Array.from({ length: BATCH }, (_, k) => ({ boxes: Float32Array.of(20 + k, 30, 80 + k, 110, 150, 140, 190, 170), classes: Int32Array.of(k % 9, (k + 3) % 9) }));
const feeds = { [session.graph.feeds[0]!.name]: input, ...yoloFeeds(heads, targets) };
const step = await timed(() => session.step(feeds));
await session.release();
const trainingForward = await timeTrainingForward(feeds);
clearInterval(sample);

const nodes = session.graph.model.graph!.node.length;
console.log('# lithe training benchmark\n');
console.log(`- node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), onnxruntime-node, 2 threads`);
console.log(`- model: ${source}; batch ${BATCH}; training graph of ${nodes} nodes, built in ${(build / 1000).toFixed(2)} s\n`);
console.log('| measure | value | target |\n|---|---:|---:|');
console.log(`| forward, batch ${BATCH} (median of ${RUNS}) | ${forward.toFixed(0)} ms | — |`);
console.log(`| forward as the step runs it (BN on batch statistics, weights as inputs) | ${trainingForward.toFixed(0)} ms | — |`);
console.log(`| training step (forward + loss + backward) | ${step.toFixed(0)} ms | — |`);
console.log(`| step / forward | ${(step / forward).toFixed(2)}× | ≤ 4× |`);
console.log(`| step / the step's own forward | ${(step / trainingForward).toFixed(2)}× | — |`);
console.log(`| training throughput | ${((BATCH * 1000) / step).toFixed(1)} images/s | — |`);
console.log(`| peak resident memory | ${(peak / 2 ** 30).toFixed(2)} GiB | — |`);

/** The training graph cut back to the nodes the model's outputs need: the forward exactly as a step runs it. */
async function timeTrainingForward(all: Record<string, Float32Array>): Promise<number> {
  const g = Graph.fromModel(session.graph.model);
  const outputs = model.graph!.output.map((o) => o.name);
  const needed = new Set<NodeProto>();
  const stack = [...outputs];
  for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
    const n = g.producer(v);
    if (n && !needed.has(n)) { needed.add(n); stack.push(...n.input.filter(Boolean)); }
  }
  for (const n of [...g.nodes]) if (!needed.has(n)) g.remove(n);
  const used = new Set([...needed].flatMap((n) => n.input));
  g.inputs.splice(0, g.inputs.length, ...g.inputs.filter((i) => used.has(i.name)));
  g.outputs.splice(0, g.outputs.length, ...outputs.map((name) => create(ValueInfoProtoSchema, { name })));
  g.dropUnusedInitializers();
  const forwardOnly = await createSession(create(ModelProtoSchema, g.toModel(session.graph.model)), { threads: 2 });
  const slots = [...session.graph.feeds, ...session.graph.params, ...session.graph.state];
  const fed: Record<string, ort.Tensor> = {};
  for (const i of g.inputs) {
    const slot = slots.find((s) => s.name === i.name)!;
    fed[i.name] = new ort.Tensor('float32', all[i.name] ?? session.values.get(i.name)!, slot.shape);
  }
  const t = await timed(() => forwardOnly.run(fed));
  await forwardOnly.release();
  return t;
}
