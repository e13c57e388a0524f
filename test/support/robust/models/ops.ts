// Nodes whose op does not exist at the model's opset, or that have the wrong number of inputs or outputs.
import { node } from '../../../../src/onnx/make.ts';
import { nodeOf } from './edit.ts';
import type { Mutant } from './types.ts';

const op = (name: string, node: string, opType: string): Mutant => ({ name, base: 'net', mutate: (m) => { nodeOf(m, node).opType = opType; } });

export const opMutants: Mutant[] = [
  op('unknown op', 'act', 'Frobnicate'),
  op('op name in lower case', 'conv', 'conv'),
  op('empty op name', 'act', ''),
  op('op from a future opset (HardSwish at 13)', 'act', 'HardSwish'),
  op('op from a future opset (LayerNormalization at 13)', 'act', 'LayerNormalization'),
  op('op deprecated at the opset (Upsample at 13)', 'act', 'Upsample'),
  op('op of another domain spelled into the name', 'act', 'com.microsoft.Gelu'),
  { name: 'op in a domain the model does not import', base: 'net', mutate: (m) => { nodeOf(m, 'act').domain = 'com.example'; } },
  { name: 'Conv with no inputs', base: 'net', mutate: (m) => { nodeOf(m, 'conv').input = []; } },
  { name: 'Conv with one input', base: 'net', mutate: (m) => { nodeOf(m, 'conv').input = ['x']; } },
  { name: 'Conv with four inputs', base: 'net', mutate: (m) => { nodeOf(m, 'conv').input.push('b'); } },
  { name: 'Conv with an empty required input', base: 'net', mutate: (m) => { nodeOf(m, 'conv').input[1] = ''; } },
  { name: 'Conv with no outputs', base: 'yolo', mutate: (m) => { nodeOf(m, 'head1.conv').output = []; } },
  { name: 'Conv with two outputs', base: 'net', mutate: (m) => { nodeOf(m, 'conv').output.push('c2'); } },
  { name: 'Relu with two inputs', base: 'net', mutate: (m) => { const n = nodeOf(m, 'act'); n.opType = 'Relu'; n.attribute = []; n.input.push('x'); } },
  { name: 'BatchNormalization with three inputs', base: 'net', mutate: (m) => { nodeOf(m, 'bn').input.length = 3; } },
  { name: 'MaxPool with no inputs', base: 'net', mutate: (m) => { nodeOf(m, 'pool').input = []; } },
  { name: 'Reshape without its shape', base: 'net', mutate: (m) => { nodeOf(m, 'flatten').input.length = 1; } },
  { name: 'Constant without its value', base: 'net', mutate: (m) => {
    m.graph!.initializer = m.graph!.initializer.filter((t) => t.name !== 'shape');
    m.graph!.node.unshift(node('Constant', [], ['shape'], {}, 'const'));
  } },
];
