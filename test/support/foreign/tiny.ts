// The small detector every foreign-export style writes: four 3x3 stride-2 convolutions with BN and a leaky
// ReLU (64 px in: maps of 8x8 at stride 8 and 4x4 at stride 16), and a YOLO head of one 1x1 convolution per
// scale with 3 anchors x (5 + classes) channels. Weights are seeded. Each style (constants.ts, dynamic.ts,
// int64-shapes.ts, tf2onnx-nhwc.ts) lays the same layers out the way its exporter does; `litheHead` adds
// lithe's own `lithe.yolo` description, so that a run can measure mAP before head detection exists.
import { writeFileSync } from 'node:fs';
import { create } from '@bufbuild/protobuf';
import { ModelProtoSchema, OperatorSetIdProtoSchema, StringStringEntryProtoSchema, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from 'onnx-buf';
import { encodeModel } from '../../../src/onnx/io.ts';
import { attr, node, tensor } from '../../../src/onnx/make.ts';
import { heUniform, mulberry32 } from '../../../src/util/random.ts';

export interface ForeignOptions {
  /** Classes of the head (9: the synthetic benchmark's). */
  classes?: number;
  seed?: number;
  /** Record the head as `lithe.yolo` metadata (outputs stay the raw NCHW maps). */
  litheHead?: boolean;
  /** Where the weights go (each style has its exporter's default): initializers, or Constant nodes (PyTorch
   *  without constant folding; the npm text detector). */
  weightsIn?: 'initializers' | 'constants';
}

/** What a style's writer returns: where the model went and how many weight values it holds. */
export interface Written { path: string; params: number }

export const SIZE = 64;
export const ANCHORS = [6, 8, 10, 14, 16, 20, 22, 28, 32, 36, 44, 48];
const WIDTHS = [8, 16, 32, 32];

export interface Conv { name: string; cin: number; cout: number; k: number; stride: number; weight: Float32Array; bias?: Float32Array; bn?: { gamma: Float32Array; beta: Float32Array; mean: Float32Array; variance: Float32Array } }

export interface Tiny { backbone: Conv[]; heads: Conv[]; classes: number; params: number }

/** The layers and their seeded weights. */
export function tiny(opts: ForeignOptions = {}): Tiny {
  const classes = opts.classes ?? 9;
  const rnd = mulberry32(opts.seed ?? 7);
  const vec = (n: number, f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));
  let cin = 3;
  const backbone = WIDTHS.map((cout, i): Conv => {
    const c: Conv = {
      name: `backbone.${i}`, cin, cout, k: 3, stride: 2, weight: heUniform(cout * cin * 9, cin * 9, rnd),
      bn: { gamma: vec(cout, () => 0.5 + rnd()), beta: vec(cout, () => rnd() - 0.5), mean: vec(cout, () => 0.1 * (rnd() - 0.5)), variance: vec(cout, () => 0.5 + rnd()) },
    };
    cin = cout;
    return c;
  });
  const per = 3 * (5 + classes);
  const heads = [16, 8].map((stride): Conv => ({ name: `head.s${stride}`, cin: 32, cout: per, k: 1, stride: 1, weight: heUniform(per * 32, 32, rnd), bias: vec(per, () => 0.1 * (rnd() - 0.5)) }));
  const count = (c: Conv) => c.weight.length + (c.bias?.length ?? 0) + (c.bn ? 4 * c.cout : 0);
  return { backbone, heads, classes, params: [...backbone, ...heads].reduce((a, c) => a + count(c), 0) };
}

/** How a style stores a weight: returns the value name its readers use. */
export type Store = (name: string, t: TensorProto) => string;

/** Conv (+ BN + LeakyRelu) nodes for `c` reading `x`; returns the output name. `fuseBn` folds BN into the
 *  convolution's weight and bias, as TensorFlow converters write inference graphs. */
export function convNodes(c: Conv, x: string, store: Store, nodes: NodeProto[], fuseBn = false): string {
  const pad = Math.floor(c.k / 2);
  const attrs = { kernel_shape: [c.k, c.k], strides: [c.stride, c.stride], pads: [pad, pad, pad, pad], dilations: [1, 1], group: 1 };
  const dims = [c.cout, c.cin, c.k, c.k];
  if (c.bn && fuseBn) {
    const { gamma, beta, mean, variance } = c.bn;
    const scale = gamma.map((g, o) => g / Math.sqrt(variance[o]! + 1e-3));
    const per = c.cin * c.k * c.k;
    const w = c.weight.map((v, i) => v * scale[Math.floor(i / per)]!);
    const b = beta.map((v, o) => v - mean[o]! * scale[o]!);
    nodes.push(node('Conv', [x, store(`${c.name}.weight`, tensor(`${c.name}.weight`, dims, w)), store(`${c.name}.bias`, tensor(`${c.name}.bias`, [c.cout], b))], [`${c.name}.conv`], attrs, `${c.name}/Conv`));
    nodes.push(node('LeakyRelu', [`${c.name}.conv`], [`${c.name}.out`], { alpha: 0.1 }, `${c.name}/LeakyRelu`));
    return `${c.name}.out`;
  }
  const inputs = [x, store(`${c.name}.weight`, tensor(`${c.name}.weight`, dims, c.weight))];
  if (c.bias) inputs.push(store(`${c.name}.bias`, tensor(`${c.name}.bias`, [c.cout], c.bias)));
  nodes.push(node('Conv', inputs, [`${c.name}.conv`], attrs, `${c.name}/Conv`));
  if (!c.bn) return `${c.name}.conv`;
  const v = (k: string, d: Float32Array) => store(`${c.name}.bn.${k}`, tensor(`${c.name}.bn.${k}`, [c.cout], d));
  nodes.push(node('BatchNormalization', [`${c.name}.conv`, v('gamma', c.bn.gamma), v('beta', c.bn.beta), v('mean', c.bn.mean), v('var', c.bn.variance)], [`${c.name}.bn`], { epsilon: 1e-3, momentum: 0.9 }, `${c.name}/BatchNormalization`));
  nodes.push(node('LeakyRelu', [`${c.name}.bn`], [`${c.name}.out`], { alpha: 0.1 }, `${c.name}/LeakyRelu`));
  return `${c.name}.out`;
}

/** The backbone and both heads: returns the head maps, stride 16 first. */
export function tinyNodes(t: Tiny, input: string, store: Store, nodes: NodeProto[], fuseBn = false): { s16: string; s8: string } {
  let x = input;
  const maps: string[] = [];
  for (const c of t.backbone) { x = convNodes(c, x, store, nodes, fuseBn); maps.push(x); }
  return { s16: convNodes(t.heads[0]!, maps[3]!, store, nodes), s8: convNodes(t.heads[1]!, maps[2]!, store, nodes) };
}

/** `lithe.yolo` for outputs at strides 16 and 8 (darknet's masks: the big anchors on the coarse map). */
export function yoloMetadata(t: Tiny, s16: string, s8: string): Record<string, string> {
  return { 'lithe.yolo': JSON.stringify([
    { output: s16, mask: [3, 4, 5], anchors: ANCHORS, classes: t.classes, stride: 16 },
    { output: s8, mask: [0, 1, 2], anchors: ANCHORS, classes: t.classes, stride: 8 },
  ]) };
}

/** Stores weights as initializers. */
export function initializers(list: TensorProto[]): Store {
  return (name, t) => { list.push(t); return name; };
}

/** Stores each weight as a Constant node whose output is named `onnx::Const_N`, as torch names them. */
export function constantNodes(nodes: NodeProto[]): Store {
  let k = 0;
  return (_name, t) => {
    const out = `onnx::Const_${k++}`;
    nodes.push(node('Constant', [], [out], {}, `Constant_${k}`));
    nodes.at(-1)!.attribute = [attr('value', t)];
    return out;
  };
}

/** The store `opts.weightsIn` asks for, `initializers` by default. */
export const storeFor = (opts: ForeignOptions, nodes: NodeProto[], inits: TensorProto[]): Store =>
  (opts.weightsIn === 'constants' ? constantNodes(nodes) : initializers(inits));

/** A model as an exporter writes it: its producer, its opset and IR version, no lithe metadata (unless asked). */
export function exported(g: GraphProto, o: { producer: string; version: string; opset: number; ir: number; metadata?: Record<string, string> }): ModelProto {
  return create(ModelProtoSchema, {
    irVersion: BigInt(o.ir), producerName: o.producer, producerVersion: o.version,
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(o.opset) })], graph: g,
    metadataProps: Object.entries(o.metadata ?? {}).map(([key, value]) => create(StringStringEntryProtoSchema, { key, value })),
  });
}

/** Writes `m` to `path` (as bytes: the exporter's file, not lithe's writer). */
export function write(path: string, m: ModelProto, params: number): Written {
  writeFileSync(path, encodeModel(m));
  return { path, params };
}
