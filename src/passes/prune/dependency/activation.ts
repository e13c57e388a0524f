// The feature map of a producer after its BN and activation: from the conv's output, through the ops that
// only follow it (BN, an element-wise activation, SiLU's x * Sigmoid(x), hardswish's x * HardSigmoid(x),
// mish's x * Tanh(Softplus(x)) as darknet imports build it).
// Activation-based criteria (entropy, dynamic) read it.
import type { NodeProto } from 'onnx-buf';
import type { Graph } from '../../../onnx/graph.ts';

const FOLLOW = new Set(['BatchNormalization', 'Celu', 'Clip', 'Elu', 'Gelu', 'HardSigmoid', 'HardSwish', 'Identity', 'LeakyRelu', 'Mish', 'Relu', 'Selu', 'Sigmoid', 'Softplus', 'Tanh']);
const GATES = new Set(['Sigmoid', 'HardSigmoid']);

/** The single consumer of `v`, when it is an `op` reading `v` first. */
function only(g: Graph, v: string, op: string): NodeProto | undefined {
  const cs = g.consumers(v);
  return cs.length === 1 && cs[0]!.opType === op && cs[0]!.input[0] === v && !g.isGraphOutput(v) ? cs[0] : undefined;
}

/** The output of the gate of `x * gate(x)`: Sigmoid, HardSigmoid, or Tanh(Softplus(x)). */
function gateOf(g: Graph, gate: NodeProto | undefined): string | undefined {
  if (!gate) return undefined;
  if (GATES.has(gate.opType)) return gate.output[0];
  return gate.opType === 'Softplus' ? only(g, gate.output[0]!, 'Tanh')?.output[0] : undefined;
}

/** The next value along the producer's activation, if `v` has exactly one way on. */
function next(g: Graph, v: string): string | undefined {
  if (g.isGraphOutput(v)) return undefined;
  const cs = g.consumers(v);
  if (cs.length === 1 && FOLLOW.has(cs[0]!.opType) && cs[0]!.input[0] === v) return cs[0]!.output[0];
  if (cs.length !== 2) return undefined;
  // x * gate(x): the gate and the Mul are the only readers of x
  const gate = gateOf(g, cs.find((n) => (GATES.has(n.opType) || n.opType === 'Softplus') && n.input[0] === v));
  const mul = cs.find((n): n is NodeProto => n.opType === 'Mul' && n.input.includes(v) && !!gate && n.input.includes(gate));
  return gate && mul && !g.isGraphOutput(gate) && g.consumers(gate).length === 1 ? mul.output[0] : undefined;
}

export function activationOf(g: Graph, conv: NodeProto): string {
  let v = conv.output[0]!;
  for (let n = next(g, v); n; n = next(g, v)) v = n;
  return v;
}
