// Graph structure: duplicate names, values read but never produced or produced twice, cycles, missing or
// malformed graph inputs and outputs, shapes that do not fit.
import { clone } from '@bufbuild/protobuf';
import { TensorProtoSchema, ValueInfoProtoSchema, type ModelProto } from 'onnx-buf';
import { DataType, node, tensor, valueInfo } from '../../../../src/onnx/make.ts';
import { initOf, nodeOf } from './edit.ts';
import type { Mutant } from './types.ts';

const g = (m: ModelProto) => m.graph!;

export const graphMutants: Mutant[] = [
  { name: 'duplicate initializers', base: 'net', mutate: (m) => { g(m).initializer.push(clone(TensorProtoSchema, initOf(m, 'w'))); } },
  { name: 'duplicate initializers of different shapes', base: 'net', mutate: (m) => { g(m).initializer.push(tensor('b', [5], new Float32Array(5))); } },
  { name: 'initializer without a name', base: 'net', mutate: (m) => { g(m).initializer.push(tensor('', [1], new Float32Array(1))); } },
  { name: 'duplicate node output', base: 'net', mutate: (m) => { nodeOf(m, 'act').output = ['c']; nodeOf(m, 'pool').input = ['c']; } },
  { name: 'node output named like an initializer', base: 'net', mutate: (m) => { nodeOf(m, 'bn').output = ['w']; nodeOf(m, 'act').input = ['w']; } },
  { name: 'node output named like the graph input', base: 'net', mutate: (m) => { nodeOf(m, 'act').output = ['x']; } },
  { name: 'dangling input', base: 'net', mutate: (m) => { nodeOf(m, 'bn').input[0] = 'ghost'; } },
  { name: 'dangling weight', base: 'yolo', mutate: (m) => { nodeOf(m, 'l2.conv').input[1] = 'l2.weight.missing'; } },
  { name: 'cycle of two nodes', base: 'net', mutate: (m) => { nodeOf(m, 'conv').input[0] = 'a'; } },
  { name: 'node reading its own output', base: 'net', mutate: (m) => { nodeOf(m, 'act').input = ['a']; } },
  { name: 'graph output nothing produces', base: 'net', mutate: (m) => { g(m).output[0]!.name = 'nowhere'; } },
  { name: 'no graph outputs', base: 'net', mutate: (m) => { g(m).output = []; } },
  { name: 'empty graph', base: 'net', mutate: (m) => { Object.assign(g(m), { node: [], initializer: [], input: [], output: [], valueInfo: [] }); } },
  { name: 'nodes only, no inputs or outputs', base: 'net', mutate: (m) => { g(m).input = []; g(m).output = []; } },
  { name: 'two graph inputs of one name', base: 'net', mutate: (m) => { g(m).input.push(clone(ValueInfoProtoSchema, g(m).input[0]!)); } },
  { name: 'two graph outputs of one name', base: 'net', mutate: (m) => { g(m).output.push(clone(ValueInfoProtoSchema, g(m).output[0]!)); } },
  { name: 'graph output without a name', base: 'net', mutate: (m) => { g(m).output.push(valueInfo('', DataType.FLOAT, [1])); } },
  { name: 'two nodes of one name', base: 'net', mutate: (m) => { nodeOf(m, 'act').name = 'bn'; } },
  { name: 'graph input of element type 0', base: 'net', mutate: (m) => { g(m).input[0] = valueInfo('x', 0 as DataType, ['N', 2, 4, 4]); } },
  { name: 'graph input of element type 999', base: 'net', mutate: (m) => { g(m).input[0] = valueInfo('x', 999 as DataType, ['N', 2, 4, 4]); } },
  { name: 'graph input with a negative dimension', base: 'net', mutate: (m) => { g(m).input[0] = valueInfo('x', DataType.FLOAT, ['N', 2, -4, 4]); } },
  { name: 'graph input with a dimension of 10^15', base: 'net', mutate: (m) => { g(m).input[0] = valueInfo('x', DataType.FLOAT, [1, 2, 1e15, 4]); } },
  { name: 'graph output with a negative dimension', base: 'yolo', mutate: (m) => { g(m).output[0] = valueInfo(g(m).output[0]!.name, DataType.FLOAT, [-1, 21, 8, 8]); } },
  { name: 'value info with element type 999', base: 'net', mutate: (m) => { g(m).valueInfo.push(valueInfo('c', 999 as DataType, [1, 3, 4, 4])); } },
  { name: 'graph output declared with the wrong shape', base: 'net', mutate: (m) => { g(m).output[0] = valueInfo('y', DataType.FLOAT, ['N', 5, 2, 2]); } },
  { name: 'graph output declared with the wrong rank', base: 'net', mutate: (m) => { g(m).output[1] = valueInfo('flat', DataType.FLOAT, [12]); } },
  { name: 'input with fewer channels than the weight', base: 'net', mutate: (m) => { g(m).input[0] = valueInfo('x', DataType.FLOAT, ['N', 1, 4, 4]); } },
  { name: 'pool window larger than its input', base: 'net', mutate: (m) => { g(m).input[0] = valueInfo('x', DataType.FLOAT, ['N', 2, 1, 1]); } },
  { name: 'Reshape to the wrong element count', base: 'net', mutate: (m) => { initOf(m, 'shape').rawData = new Uint8Array(BigInt64Array.from([1n, 13n]).buffer); } },
  { name: 'Add of shapes that do not broadcast', base: 'net', mutate: (m) => {
    g(m).initializer.push(tensor('bad', [5], new Float32Array(5)));
    g(m).node.push(node('Add', ['y', 'bad'], ['sum'], {}, 'add'));
    g(m).output.push(valueInfo('sum', DataType.FLOAT, ['N', 3, 2, 5]));
  } },
  { name: 'Concat of different ranks', base: 'net', mutate: (m) => {
    g(m).node.push(node('Concat', ['y', 'flat'], ['cat'], { axis: 1 }, 'cat'));
    g(m).output.push(valueInfo('cat', DataType.FLOAT, []));
  } },
  { name: 'Conv weights of another element type than its input', base: 'net', mutate: (m) => {
    const t = initOf(m, 'w');
    Object.assign(t, tensor('w', [3, 2, 3, 3], new Float64Array(54)));
  } },
];
