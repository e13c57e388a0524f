// Folds each BatchNormalization into the Conv that feeds it (W' = W·γ/σ, b' = (b − μ)·γ/σ + β with
// σ = √(var + ε)) before quantizing: the int8 weights must be the ones the fused layer multiplies by, and
// onnxruntime cannot fold BN into a Conv whose weight is already behind a DequantizeLinear. Identity nodes
// go too (darknet's single-layer routes): they only pass a value on. The result computes the same function.
import type { NodeProto } from 'onnx-buf';
import type { Graph } from '../../onnx/graph.ts';
import { Attrs } from '../../onnx/attrs.ts';
import { tensor } from '../../onnx/make.ts';
import { readFloats } from '../quantize/floats.ts';

/** Returns the names of the BatchNormalization nodes folded away. */
export function foldBatchNorms(g: Graph): string[] {
  const folded: string[] = [];
  for (const bn of [...g.nodes]) {
    if (bn.opType !== 'BatchNormalization' || bn.output.filter(Boolean).length !== 1) continue;
    const conv = g.producer(bn.input[0]!);
    if (!conv || conv.opType !== 'Conv' || g.consumers(conv.output[0]!).length !== 1 || g.isGraphOutput(conv.output[0]!)) continue;
    if (!fold(g, conv, bn)) continue;
    folded.push(bn.name);
  }
  if (folded.length) g.dropUnusedInitializers();
  return folded;
}

function fold(g: Graph, conv: NodeProto, bn: NodeProto): boolean {
  const get = (v: string | undefined) => (v ? g.initializers.get(v) : undefined);
  const [w, b] = [get(conv.input[1]), get(conv.input[2])];
  const params = bn.input.slice(1, 5).map(get);
  if (!w || (conv.input[2] && !b) || params.length !== 4 || params.some((p) => !p)) return false;
  const [gamma, beta, mean, variance] = params.map((p) => readFloats(p!)) as [Float32Array, Float32Array, Float32Array, Float32Array];
  const eps = new Attrs(bn).float('epsilon', 1e-5);
  const weights = readFloats(w);
  const out = gamma.length;
  const per = weights.length / out;
  const bias = b ? readFloats(b) : new Float32Array(out);
  const newBias = new Float32Array(out);
  for (let o = 0; o < out; o++) {
    const k = gamma[o]! / Math.sqrt(variance[o]! + eps);
    for (let i = o * per; i < (o + 1) * per; i++) weights[i]! *= k;
    newBias[o] = (bias[o]! - mean[o]!) * k + beta[o]!;
  }
  const wName = g.freshName(`${conv.name}.folded_weight`);
  g.initializers.set(wName, tensor(wName, w.dims.map(Number), weights));
  const bName = g.freshName(`${conv.name}.folded_bias`);
  g.initializers.set(bName, tensor(bName, [out], newBias));
  conv.input = [conv.input[0]!, wName, bName];
  conv.output = [bn.output[0]!];
  g.remove(bn);
  return true;
}

/** Removes Identity nodes whose output is not a graph output; their consumers read the input. */
export function removeIdentities(g: Graph): number {
  let removed = 0;
  for (const n of [...g.nodes]) {
    if (n.opType !== 'Identity' || g.isGraphOutput(n.output[0]!)) continue;
    g.remove(n);
    g.rewire(n.output[0]!, n.input[0]!);
    removed++;
  }
  return removed;
}
