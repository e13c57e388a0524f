// BatchNormalization and InstanceNormalization: per-channel parameters, sliced with the channels they
// scale; the channels pass through. A BN right after a producing conv is recorded as that producer's BN
// (criteria read its gamma).
import type { NodeProto } from 'onnx-buf';
import { Attrs } from '../../../../onnx/attrs.ts';
import type { SliceRole } from '../types.ts';
import type { OpRule, Tracer } from '../tracer.ts';

const PARAMS: Record<string, SliceRole[]> = {
  BatchNormalization: ['gamma', 'beta', 'mean', 'var'],
  InstanceNormalization: ['gamma', 'beta'],
};

function norm(node: NodeProto, t: Tracer): void {
  const roles = PARAMS[node.opType]!;
  const x = node.input[0]!;
  const input = t.layout(x);
  t.poisonInputs(node, `'${node.name}' computes its parameters from feature maps`, [0]);
  // Outputs beyond the first (training-mode running statistics) are per-channel too: not followed.
  node.output.slice(1).forEach((o) => { if (o) t.poisonLayout(input, `'${node.name}' outputs its statistics`); });
  if (!input) return;
  const params = roles.map((_, i) => node.input[i + 1]);
  if (params.some((p) => !t.initializer(p))) {
    t.poisonLayout(input, `'${node.name}' has computed parameters`);
  } else {
    roles.forEach((role, i) => t.addSlices(input, params[i]!, 0, role, node.name));
    attach(node, t);
  }
  t.set(node.output[0], input);
}

/** Records a BN that directly follows a producing conv as that producer's. */
function attach(node: NodeProto, t: Tracer): void {
  if (node.opType !== 'BatchNormalization') return;
  const conv = t.g.producer(node.input[0]!);
  const p = t.producers.find((q) => q.node === conv?.name);
  if (!p || t.g.consumers(node.input[0]!).length !== 1) return;
  const [, gamma, beta, mean, variance] = node.input as string[];
  p.bn = { node: node.name, gamma: gamma!, beta: beta!, mean: mean!, var: variance!, epsilon: new Attrs(node).float('epsilon', 1e-5) };
}

export const rules: Record<string, OpRule> = { BatchNormalization: norm, InstanceNormalization: norm };
