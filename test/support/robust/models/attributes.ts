// Attributes of the wrong type, unknown or missing, and window values onnxruntime divides by or refuses:
// stride 0, negative pads, a string kernel_shape, a group that does not divide the channels.
import { AttributeProto_AttributeType as A } from 'onnx-buf';
import { dropAttr, nodeOf, setAttr } from './edit.ts';
import type { Mutant } from './types.ts';
import type { AttrValue } from '../../../../src/onnx/make.ts';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { AttributeProtoSchema } from 'onnx-buf';

const set = (name: string, node: string, attr: string, v: AttrValue | MessageInitShape<typeof AttributeProtoSchema>, base: Mutant['base'] = 'net'): Mutant =>
  ({ name, base, mutate: (m) => setAttr(m, node, attr, v) });
const text = (s: string) => new TextEncoder().encode(s);

export const attributeMutants: Mutant[] = [
  set('stride 0', 'conv', 'strides', [0, 0]),
  set('stride 0 in one dimension', 'conv', 'strides', [1, 0]),
  set('negative stride', 'pool', 'strides', [-2, -2]),
  set('dilation 0', 'conv', 'dilations', [0, 1]),
  set('negative pads', 'conv', 'pads', [-1, -1, -1, -1]),
  set('pads of three values', 'conv', 'pads', [1, 1, 1]),
  set('strides of three values', 'conv', 'strides', [1, 1, 1]),
  set('kernel_shape as a string', 'conv', 'kernel_shape', { type: A.STRING, s: text('3x3') }),
  set('kernel_shape of floats', 'conv', 'kernel_shape', { type: A.FLOATS, floats: [3, 3] }),
  set('kernel_shape not the weight\'s', 'conv', 'kernel_shape', [1, 1]),
  set('kernel_shape 0', 'pool', 'kernel_shape', [0, 0]),
  set('negative kernel_shape', 'pool', 'kernel_shape', [-2, 2]),
  set('group 0', 'conv', 'group', 0),
  set('negative group', 'conv', 'group', -1),
  set('group that does not divide the channels', 'conv', 'group', 2),
  set('group larger than the channels', 'head1.conv', 'group', 64, 'yolo'),
  set('auto_pad not a mode', 'conv', 'auto_pad', 'SOMETIMES'),
  set('epsilon as an int', 'bn', 'epsilon', { type: A.INT, i: 1n }),
  set('alpha as a string', 'act', 'alpha', { type: A.STRING, s: text('0.1') }),
  set('group as a float', 'conv', 'group', { type: A.FLOAT, f: 1 }),
  set('strides as a single int', 'conv', 'strides', { type: A.INT, i: 1n }),
  set('attribute without a type', 'conv', 'group', { type: A.UNDEFINED, i: 1n }),
  set('attribute type 99', 'act', 'alpha', { type: 99 as A, f: 0.1 }),
  set('unknown attribute', 'act', 'beta', 0.5),
  set('attribute of another op (perm on Conv)', 'conv', 'perm', [0, 1]),
  { name: 'attribute given twice', base: 'net', mutate: (m) => { const n = nodeOf(m, 'act'); n.attribute.push({ ...n.attribute[0]! }); } },
  { name: 'required attribute missing (MaxPool kernel_shape)', base: 'net', mutate: (m) => dropAttr(m, 'pool', 'kernel_shape') },
];
