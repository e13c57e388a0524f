// The training graph: a model's forward graph, made ready to train, plus a loss and the backward graph, as
// one ONNX model that onnxruntime-node runs in one call per step. Getting there:
//   - the batch is fixed (static shapes let every gradient rule precompute its constants);
//   - learned weights become graph inputs, fed from TypeScript buffers: onnxruntime-node ignores feeds for
//     initializers, so an initializer could never change; frozen weights stay initializers;
//   - BatchNormalization either trains (batch statistics; the running statistics are inputs, and their
//     updated values outputs) or stays frozen (a fixed affine map of the running statistics);
//   - every MaxPool emits its Indices, which its gradient needs;
//   - opset 17, for BatchNormalization's training mode and ScatterElements' add reduction.
import { create } from '@bufbuild/protobuf';
import { ModelProtoSchema, OperatorSetIdProtoSchema, TensorProto_DataType as DT, ValueInfoProtoSchema, type ModelProto, type NodeProto } from 'onnx-buf';
import { Graph } from '../onnx/graph.ts';
import { attr, valueInfo } from '../onnx/make.ts';
import { defaultOpset } from '../onnx/io.ts';
import { declaredType, inferShapes } from '../onnx/shape/infer.ts';
import { tensorValues } from '../onnx/tensor.ts';
import { buildBackward } from './autodiff/backward.ts';
import { Emitter } from './autodiff/emit.ts';
import { gradRuleByOp } from './autodiff/registry.ts';
import { AutodiffError, type GradOptions } from './autodiff/types.ts';
import { LitheError } from '../errors.ts';

export const TRAINING_OPSET = 17;

/** What a loss sees: the forward outputs (and any value of the forward graph, by name), a way to declare
 *  tensors fed each step (targets, a teacher's outputs), and a way to add weights of its own (distillation's
 *  adapters), which train with the model's but are no part of it. */
export interface LossBuilder {
  emit: Emitter;
  outputs: readonly string[];
  shape(value: string): number[];
  input(name: string, shape: readonly number[]): string;
  param(name: string, shape: readonly number[], init: Float32Array): string;
}

export interface TrainingGraphOptions {
  batch: number;
  /** 'train' (default): batch statistics, running statistics updated. 'frozen': BN as a fixed affine map. */
  bn?: 'train' | 'frozen';
  /** Weights to keep fixed (they stay initializers and get no gradient). */
  frozen?: (name: string) => boolean;
  /** Scalars to learn all the same (a per-tensor quantization step size): by default a scalar is a constant. */
  learned?: (name: string) => boolean;
  /** Adds the loss's nodes and returns the scalar loss. */
  loss: (b: LossBuilder) => string;
  grad?: GradOptions;
}

export interface Slot { name: string; shape: number[] }
export interface TrainingGraph {
  model: ModelProto;
  /** Tensors fed each step: the model's inputs and the loss's. */
  feeds: Slot[];
  /** Learned weights (inputs) with their gradients (outputs). */
  params: (Slot & { grad: string })[];
  /** Running statistics (inputs) with their updated values (outputs). */
  state: (Slot & { next: string })[];
  loss: string;
  /** The initial values of the loss's own weights (also in `params`), which the model does not hold. */
  extra: Map<string, Float32Array>;
}

export class TrainingError extends LitheError {
  override name = 'TrainingError';
}

/** The learned weights: initializers in the slots the consuming op's rule marks as parameters. A scalar
 * (Mul(x, 0.5), an epsilon) is a constant of the architecture, not a weight, unless `learned` names it. */
function learnable(g: Graph, frozen: (name: string) => boolean, learned: (name: string) => boolean): string[] {
  const names = new Set<string>();
  for (const n of g.nodes) {
    for (const i of gradRuleByOp.get(n.opType)?.params ?? []) {
      const name = n.input[i];
      const t = name ? g.initializers.get(name) : undefined;
      if (t && t.dataType === DT.FLOAT && (t.dims.reduce((a, d) => a * Number(d), 1) > 1 || learned(name!)) && !frozen(name!)) names.add(name!);
    }
  }
  return [...names];
}

function trainingBn(n: NodeProto, state: TrainingGraph['state'], g: Graph): void {
  const [, , , mean, variance] = n.input as string[];
  n.attribute = [...n.attribute.filter((a) => a.name !== 'training_mode'), attr('training_mode', 1)];
  const next = [`${mean}:next`, `${variance}:next`];
  n.output = [n.output[0]!, ...next];
  for (const [k, v] of [mean!, variance!].entries()) state.push({ name: v, shape: g.initializers.get(v)!.dims.map(Number), next: next[k]! });
}

function fixBatch(g: Graph, batch: number): Slot[] {
  return g.inputs.filter((i) => !g.initializers.has(i.name)).map((i, k) => {
    const t = declaredType(i);
    const shape = (t?.shape ?? []).map((d, j) => (j === 0 && typeof d !== 'number' ? batch : d));
    if (t?.shape && typeof t.shape[0] === 'number' && t.shape[0] !== batch) throw new TrainingError(`input '${i.name}' takes a batch of ${t.shape[0]} only; training feeds batches of ${batch}`);
    if (!t || shape.some((d) => typeof d !== 'number')) throw new TrainingError(`input '${i.name}' needs a fixed shape apart from the batch to train`);
    g.inputs[k] = valueInfo(i.name, t.elem, shape);
    return { name: i.name, shape: shape as number[] };
  });
}

/** Removes the nodes `outputs` do not depend on; returns every value they do depend on. */
function keepOnly(g: Graph, outputs: readonly string[]): Set<string> {
  const needed = new Set(outputs);
  for (let k = g.nodes.length - 1; k >= 0; k--) {
    const n = g.nodes[k]!;
    if (n.output.some((o) => o && needed.has(o))) for (const i of n.input) { if (i) needed.add(i); }
    else g.remove(n);
  }
  return needed;
}

export function buildTrainingGraph(model: ModelProto, opts: TrainingGraphOptions): TrainingGraph {
  const opset = defaultOpset(model) ?? 0;
  if (opset < 13 || opset > TRAINING_OPSET) throw new TrainingError(`lithe trains models of opset 13 to ${TRAINING_OPSET}; this one is opset ${opset}`);
  const g = Graph.fromModel(model);
  g.sort();
  const feeds = fixBatch(g, opts.batch);
  const paramNames = learnable(g, opts.frozen ?? (() => false), opts.learned ?? (() => false));
  const state: TrainingGraph['state'] = [];
  for (const n of g.nodes) {
    if (n.opType === 'BatchNormalization' && (opts.bn ?? 'train') === 'train') trainingBn(n, state, g);
    if (n.opType === 'MaxPool' && !n.output[1]) n.output = [n.output[0]!, `${n.output[0]}:indices`];
  }
  const moved = [...paramNames, ...state.map((s) => s.name)].map((name) => {
    const t = g.initializers.get(name)!;
    g.initializers.delete(name);
    g.inputs.push(valueInfo(name, DT.FLOAT, t.dims.map(Number)));
    return t;
  });
  // the loss's own inputs and nodes join the forward graph, and are differentiated with it
  const lossEmit = new Emitter('loss:');
  let types = inferShapes(g, TRAINING_OPSET).types;
  const shapeOf = (v: string): number[] => {
    const s = types.get(v)?.shape;
    if (!s || s.some((d) => typeof d !== 'number')) throw new AutodiffError(`the shape of '${v}' is not known; lithe needs static shapes to train`);
    return s as number[];
  };
  const lossInputs: Slot[] = [];
  const extra = new Map<string, Float32Array>();
  const declare = (name: string, shape: readonly number[]) => {
    if (types.has(name) || g.initializers.has(name) || extra.has(name)) throw new TrainingError(`the loss declares '${name}', which the graph has already`);
    g.inputs.push(valueInfo(name, DT.FLOAT, shape));
    types.set(name, { elem: DT.FLOAT, shape: [...shape] });
    return name;
  };
  const loss = opts.loss({
    emit: lossEmit, outputs: g.outputs.map((o) => o.name), shape: shapeOf,
    input: (name, shape) => { lossInputs.push({ name, shape: [...shape] }); return declare(name, shape); },
    param: (name, shape, init) => {
      if (init.length !== shape.reduce((a, d) => a * d, 1)) throw new TrainingError(`the loss's weight '${name}' has ${init.length} values for a shape ${shape.join('x')}`);
      declare(name, shape);
      extra.set(name, init);
      return name;
    },
  });
  g.insert(lossEmit.nodes);
  for (const t of lossEmit.constants) g.initializers.set(t.name, t);
  // what the loss does not read (a decoding inside the graph after the raw maps the loss takes) is not run
  // at all, and weights only it reads are not trained
  const needed = keepOnly(g, [loss, ...state.map((s) => s.next)]);
  const trained = paramNames.filter((p) => needed.has(p));
  for (const [k, name] of paramNames.entries()) {
    if (needed.has(name)) continue;
    g.inputs.splice(g.inputs.findIndex((i) => i.name === name), 1);
    g.initializers.set(name, moved[k]!);
  }
  types = inferShapes(g, TRAINING_OPSET).types;
  const constant = (v: string) => { const t = g.initializers.get(v); return t ? tensorValues(t) : undefined; };
  const wrt = [...trained, ...extra.keys()];
  const back = buildBackward({ nodes: g.nodes, shape: shapeOf, constant }, loss, wrt, opts.grad);
  g.insert(back.nodes);
  for (const t of back.constants) g.initializers.set(t.name, t);
  const params = wrt.map((name, k) => {
    const grad = back.grads.get(name);
    if (!grad) throw new TrainingError(`the loss does not depend on weight '${name}'`);
    return { name, shape: k < trained.length ? moved[paramNames.indexOf(name)]!.dims.map(Number) : shapeOf(name), grad };
  });
  // name-only outputs: onnxruntime types them itself
  g.outputs.splice(0, g.outputs.length, ...[loss, ...params.map((p) => p.grad), ...state.map((s) => s.next)].map((name) => create(ValueInfoProtoSchema, { name })));
  const out = g.toModel(model);
  out.opsetImport = [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(TRAINING_OPSET) })];
  return { model: create(ModelProtoSchema, out), feeds: [...feeds, ...lossInputs], params, state, loss, extra };
}
