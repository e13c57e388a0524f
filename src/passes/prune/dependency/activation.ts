// The feature map of a producer after its BN and activation: from the conv's output, through the ops that
// only follow it (BN, an element-wise activation, SiLU's x * Sigmoid(x), hardswish's x * HardSigmoid(x)).
// Activation-based criteria (entropy, dynamic) read it.
import type { NodeProto } from 'onnx-buf';
import type { Graph } from '../../../onnx/graph.ts';

const FOLLOW = new Set(['BatchNormalization', 'Celu', 'Clip', 'Elu', 'Gelu', 'HardSigmoid', 'HardSwish', 'Identity', 'LeakyRelu', 'Mish', 'Relu', 'Selu', 'Sigmoid', 'Softplus', 'Tanh']);
const GATES = new Set(['Sigmoid', 'HardSigmoid']);

/** The next value along the producer's activation, if `v` has exactly one way on. */
function next(g: Graph, v: string): string | undefined {
  if (g.isGraphOutput(v)) return undefined;
  const cs = g.consumers(v);
  if (cs.length === 1 && FOLLOW.has(cs[0]!.opType) && cs[0]!.input[0] === v) return cs[0]!.output[0];
  if (cs.length !== 2) return undefined;
  // x * gate(x): the gate and the Mul are the only readers of x
  const gate = cs.find((n) => GATES.has(n.opType) && n.input[0] === v);
  const mul = cs.find((n): n is NodeProto => n.opType === 'Mul' && n.input.includes(v) && !!gate && n.input.includes(gate.output[0]!));
  return gate && mul && g.consumers(gate.output[0]!).length === 1 ? mul.output[0] : undefined;
}

export function activationOf(g: Graph, conv: NodeProto): string {
  let v = conv.output[0]!;
  for (let n = next(g, v); n; n = next(g, v)) v = n;
  return v;
}
