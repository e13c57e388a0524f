// Element-wise ops of one feature map: the channels pass through unchanged. Extra inputs (Clip's bounds,
// Dropout's ratio) must be scalars or constants without channels; anything else is not followed.
import type { NodeProto } from 'onnx-buf';
import type { OpRule, Tracer } from '../tracer.ts';

const OPS = [
  'Abs', 'Cast', 'Ceil', 'Celu', 'Clip', 'Dropout', 'Elu', 'Erf', 'Exp', 'Floor', 'Gelu', 'HardSigmoid', 'HardSwish',
  'Identity', 'LeakyRelu', 'Log', 'Mish', 'Neg', 'Reciprocal', 'Relu', 'Round', 'Selu', 'Sigmoid', 'Sign', 'Softplus',
  'Softsign', 'Sqrt', 'Tanh', 'ThresholdedRelu',
];

function unary(node: NodeProto, t: Tracer): void {
  const input = t.layout(node.input[0]!);
  t.poisonInputs(node, `'${node.name}' (${node.opType}) reads a feature map as a parameter`, [0]);
  // Dropout's mask has the input's layout too
  for (const o of node.output) t.set(o, input);
}

export const rules: Record<string, OpRule> = Object.fromEntries(OPS.map((op) => [op, unary]));
