// Block-wise distillation: each new block is trained, alone, to reproduce the old layer's output from the old
// layer's input, both taken from the model before the step on calibration images (so every block fits the
// features the trained model really has, and blocks do not wait on one another). The training engine does the
// work: the block as a small ONNX model, a mean-squared-error loss, AdamW with a cosine schedule.
import * as ort from 'onnxruntime-node';
import { create } from '@bufbuild/protobuf';
import { ModelProtoSchema, TensorProto_DataType as DT, type ModelProto } from 'onnx-buf';
import { Graph } from '../../onnx/graph.ts';
import { valueInfo } from '../../onnx/make.ts';
import { createSession, withTaps } from '../../runtime/session.ts';
import { TrainingSession } from '../../train/session.ts';
import { adamw } from '../../train/optim/adamw.ts';
import { schedule } from '../../train/optim/schedule.ts';
import { mulberry32 } from '../../util/random.ts';

export interface FitOptions { steps: number; lr: number; batch: number; threads: number; seed: number }
/** Relative error of the block's output, ‖block − old‖ / ‖old‖ over the calibration images. */
export interface FitResult { before: number; after: number }

/** A layer's input and output on each calibration image, from the model before the step. */
export interface Samples { x: Float32Array[]; y: Float32Array[]; xShape: number[]; yShape: number[] }

/** Taps `input` and `output` of `model` on each image (batches of one, `dims` [1, C, H, W]). */
export async function samples(model: ModelProto, images: readonly Float32Array[], dims: readonly number[], input: string, output: string, threads: number): Promise<Samples> {
  const g = Graph.fromModel(model);
  const feed = g.inputs.find((i) => !g.initializers.has(i.name))!;
  const session = await createSession(withTaps(model, [input, output].filter((v) => v !== feed.name)), { threads });
  const s: Samples = { x: [], y: [], xShape: [], yShape: [] };
  try {
    for (const image of images) {
      const r = await session.run({ [feed.name]: new ort.Tensor('float32', image, dims) });
      const x = input === feed.name ? new ort.Tensor('float32', image, dims) : r[input]!;
      s.x.push(Float32Array.from(x.data as Float32Array));
      s.y.push(Float32Array.from(r[output]!.data as Float32Array));
      [s.xShape, s.yShape] = [x.dims.map(Number), r[output]!.dims.map(Number)];
    }
  } finally {
    await session.release();
  }
  return s;
}

/** The block alone as a model: the layer's input in, its output out, only the block's nodes and weights. */
export function blockModel(model: ModelProto, nodes: readonly string[], input: string, output: string, s: Samples, batch: number | 'N' = 'N'): ModelProto {
  const g = Graph.fromModel(model);
  const keep = new Set(nodes);
  g.nodes.splice(0, g.nodes.length, ...g.nodes.filter((n) => keep.has(n.name)));
  g.inputs.splice(0, g.inputs.length, valueInfo(input, DT.FLOAT, [batch, ...s.xShape.slice(1)]));
  g.outputs.splice(0, g.outputs.length, valueInfo(output, DT.FLOAT, [batch, ...s.yShape.slice(1)]));
  g.valueInfo.clear();
  g.touched();
  g.dropUnusedInitializers();
  return create(ModelProtoSchema, { ...g.toModel(model), metadataProps: [] });
}

async function relativeError(block: ModelProto, s: Samples, threads: number): Promise<number> {
  const session = await createSession(block, { threads });
  let [d, n] = [0, 0];
  try {
    for (const [k, x] of s.x.entries()) {
      const r = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', x, s.xShape) });
      const got = r[session.outputNames[0]!]!.data as Float32Array;
      const want = s.y[k]!;
      for (let i = 0; i < want.length; i++) { d += (got[i]! - want[i]!) ** 2; n += want[i]! ** 2; }
    }
  } finally {
    await session.release();
  }
  return Math.sqrt(d / Math.max(n, 1e-30));
}

/** Trains `block` (a blockModel) on the samples; returns it with its new weights, and the error before and after. */
export async function fitBlock(block: ModelProto, s: Samples, o: FitOptions): Promise<{ model: ModelProto; result: FitResult }> {
  const before = await relativeError(block, s, o.threads);
  if (o.steps <= 0) return { model: block, result: { before, after: before } };
  const batch = Math.min(o.batch, s.x.length);
  const session = await TrainingSession.create(block, {
    batch, bn: 'frozen', threads: o.threads,
    loss: (b) => {
      const e = b.emit;
      const d = e.op1('Sub', [b.outputs[0]!, b.input('fit:target', [batch, ...s.yShape.slice(1)])]);
      return e.op1('ReduceMean', [e.op1('Mul', [d, d])], { keepdims: 0 });
    },
  });
  const opt = adamw({ weightDecay: 0 });
  const lr = schedule({ lr: o.lr, steps: o.steps, warmup: Math.min(20, Math.floor(o.steps / 10)), kind: 'cosine' });
  const rnd = mulberry32(o.seed);
  const [xs, ys] = [s.x[0]!.length, s.y[0]!.length];
  const [x, y] = [new Float32Array(batch * xs), new Float32Array(batch * ys)];
  let best = { loss: Infinity, values: new Map<string, Float32Array>() };
  try {
    for (let step = 0; step < o.steps; step++) {
      for (let b = 0; b < batch; b++) {
        const k = Math.floor(rnd() * s.x.length);
        x.set(s.x[k]!, b * xs);
        y.set(s.y[k]!, b * ys);
      }
      const loss = await session.step({ [session.graph.feeds[0]!.name]: x, 'fit:target': y });
      if (!Number.isFinite(loss)) break;
      if (step >= o.steps - 10 && loss < best.loss) best = { loss, values: new Map([...session.values].map(([k, v]) => [k, v.slice()])) };
      opt.step(session, lr(step));
    }
  } finally {
    await session.release();
  }
  const trained = best.values.size ? session.toModel(best.values) : block;
  const after = await relativeError(trained, s, o.threads);
  // fitting never leaves a block worse than its factorised start
  return after <= before ? { model: trained, result: { before, after } } : { model: block, result: { before, after: before } };
}

/** Copies the weights of the nodes named `nodes` from `source` (a fitted block or model) into `g`, where the
 * same node reads a tensor of the same name and shape. */
export function adopt(g: Graph, source: ModelProto, nodes: readonly string[]): void {
  const from = new Map(source.graph!.initializer.map((t) => [t.name, t]));
  for (const name of nodes) {
    for (const v of g.node(name)?.input ?? []) {
      const [t, old] = [from.get(v), g.initializers.get(v)];
      if (t && old && t.dims.join() === old.dims.join()) g.initializers.set(v, t);
    }
  }
}
