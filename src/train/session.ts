// A training session: the training graph in onnxruntime-node, with the weights, their gradients and the
// running statistics held in TypeScript buffers that never move. Weights are fed without copying (a Tensor
// wraps the array), and gradients are written by onnxruntime straight into preallocated arrays, so the
// optimizer updates the very arrays the next step reads.
import * as ort from 'onnxruntime-node';
import { create } from '@bufbuild/protobuf';
import { ModelProtoSchema, type ModelProto, type TensorProto } from 'onnx-buf';
import { Graph } from '../onnx/graph.ts';
import { tensor } from '../onnx/make.ts';
import { float32Copy } from '../onnx/tensor.ts';
import { createSession, RuntimeError } from '../runtime/session.ts';
import { buildTrainingGraph, TrainingError, type TrainingGraph, type TrainingGraphOptions } from './graph.ts';

/** A float32 tensor's values, copied out of the model. */
export function floats(t: TensorProto): Float32Array {
  const v = float32Copy(t);
  if (typeof v === 'string') throw new TrainingError(`weight '${t.name}' ${v}; lithe trains float32 models`);
  return v;
}

export class TrainingSession {
  /** Learned weights and running statistics, by name. */
  readonly values = new Map<string, Float32Array>();
  readonly grads = new Map<string, Float32Array>();
  private readonly next = new Map<string, Float32Array>();
  private readonly lossValue = new Float32Array(1);
  private readonly fetches: Record<string, ort.Tensor> = {};

  private constructor(readonly source: ModelProto, readonly graph: TrainingGraph, private readonly session: ort.InferenceSession) {
    const g = Graph.fromModel(source);
    for (const s of [...graph.params, ...graph.state]) this.values.set(s.name, graph.extra.get(s.name)?.slice() ?? floats(g.initializers.get(s.name)!));
    this.fetches[graph.loss] = new ort.Tensor('float32', this.lossValue, []);
    for (const p of graph.params) {
      const buf = new Float32Array(this.values.get(p.name)!.length);
      this.grads.set(p.name, buf);
      this.fetches[p.grad] = new ort.Tensor('float32', buf, p.shape);
    }
    for (const s of graph.state) {
      const buf = new Float32Array(this.values.get(s.name)!.length);
      this.next.set(s.name, buf);
      this.fetches[s.next] = new ort.Tensor('float32', buf, s.shape);
    }
  }

  static async create(model: ModelProto, opts: TrainingGraphOptions & { threads?: number }): Promise<TrainingSession> {
    const graph = buildTrainingGraph(model, opts);
    return new TrainingSession(model, graph, await createSession(graph.model, { threads: opts.threads ?? 2 }));
  }

  /**
   * One forward and backward pass: returns the loss; the gradients are in `grads`, and the running
   * statistics have moved on. `feeds` are the model's inputs and the loss's, by name.
   */
  async step(feeds: Record<string, Float32Array>): Promise<number> {
    const inputs: Record<string, ort.Tensor> = {};
    for (const f of this.graph.feeds) {
      const data = feeds[f.name];
      if (!data) throw new TrainingError(`no data fed for '${f.name}'`);
      inputs[f.name] = new ort.Tensor('float32', data, f.shape);
    }
    for (const s of [...this.graph.params, ...this.graph.state]) inputs[s.name] = new ort.Tensor('float32', this.values.get(s.name)!, s.shape);
    try {
      await this.session.run(inputs, this.fetches);
    } catch (e) {
      throw new RuntimeError(`a training step failed in onnxruntime: ${(e as Error).message}`);
    }
    const loss = this.lossValue[0]!;
    // a non-finite step must leave the running statistics as they were: the caller keeps the last good state
    if (Number.isFinite(loss)) for (const [name, buf] of this.next) this.values.get(name)!.set(buf);
    return loss;
  }

  /** The source model with `values` (by default the current weights and running statistics): the inference
   * graph only (the loss's own weights, such as distillation adapters, are left out). */
  toModel(values: Map<string, Float32Array> = this.values): ModelProto {
    const g = Graph.fromModel(this.source);
    for (const [name, v] of values) {
      const t = g.initializers.get(name);
      if (t) g.initializers.set(name, tensor(name, t.dims.map(Number), v));
    }
    return create(ModelProtoSchema, g.toModel(this.source));
  }

  async release(): Promise<void> { await this.session.release(); }
}
