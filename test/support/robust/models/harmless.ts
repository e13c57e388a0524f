// Variants that are valid models, so the verifier is seen to accept what it should: the bases themselves,
// and changes that keep a model valid (typed fields for raw data, an unused initializer, unnamed nodes,
// other opsets, declared value info, float16 weights).
import { create } from '@bufbuild/protobuf';
import { OperatorSetIdProtoSchema, StringStringEntryProtoSchema, TensorProtoSchema, TensorProto_DataType as DT } from 'onnx-buf';
import { DataType, node, tensor, valueInfo } from '../../../../src/onnx/make.ts';
import { storeHalf } from '../../../../src/onnx/storage.ts';
import { initOf, nodeOf, typedOf } from './edit.ts';
import type { Mutant } from './types.ts';

export const harmless: Mutant[] = [
  { name: 'the net base', base: 'net' },
  { name: 'the yolo base', base: 'yolo' },
  { name: 'the ssd base', base: 'ssd' },
  { name: 'float_data instead of raw data', base: 'net', mutate: (m) => { typedOf(m, 'b').floatData = [0.1, 0.2, 0.3]; } },
  { name: 'int64_data instead of raw data', base: 'net', mutate: (m) => { typedOf(m, 'shape').int64Data = [1n, 12n]; } },
  { name: 'an unused initializer', base: 'net', mutate: (m) => { m.graph!.initializer.push(tensor('unused', [2, 2], new Float32Array(4))); } },
  { name: 'an empty tensor', base: 'net', mutate: (m) => { m.graph!.initializer.push(tensor('none', [0, 3], new Float32Array(0))); } },
  { name: 'nodes without names', base: 'net', mutate: (m) => { for (const n of m.graph!.node) n.name = ''; } },
  { name: 'doc strings and extra metadata', base: 'yolo', mutate: (m) => {
    m.docString = 'a model'; m.graph!.docString = 'its graph';
    m.metadataProps.push(create(StringStringEntryProtoSchema, { key: 'author', value: 'lithe tests' }));
  } },
  { name: 'declared value info', base: 'net', mutate: (m) => { m.graph!.valueInfo.push(valueInfo('c', DataType.FLOAT, ['N', 3, 4, 4])); } },
  { name: 'a Constant node for the shape', base: 'net', mutate: (m) => {
    m.graph!.initializer = m.graph!.initializer.filter((t) => t.name !== 'shape');
    m.graph!.node.unshift(node('Constant', [], ['shape'], { value: tensor('value', [2], BigInt64Array.from([1n, 12n])) }, 'const'));
  } },
  { name: 'opset 17', base: 'net', mutate: (m) => { m.opsetImport[0]!.version = 17n; m.irVersion = 8n; } },
  { name: 'opset 9, IR 4 (an old export)', base: 'net', mutate: (m) => { m.opsetImport[0]!.version = 9n; m.irVersion = 4n; } },
  { name: 'opset 11', base: 'yolo', mutate: (m) => { m.opsetImport[0]!.version = 11n; m.irVersion = 6n; } },
  { name: 'opset 21, beyond the schema table', base: 'net', mutate: (m) => { m.opsetImport[0]!.version = 21n; m.irVersion = 10n; } },
  { name: 'an ai.onnx.ml import besides', base: 'net', mutate: (m) => { m.opsetImport.push(create(OperatorSetIdProtoSchema, { domain: 'ai.onnx.ml', version: 3n })); } },
  { name: 'float16 weights behind Casts', base: 'yolo', mutate: (m) => { storeHalf(m); } },
  { name: 'a dilated convolution', base: 'net', mutate: (m) => {
    const c = nodeOf(m, 'conv');
    c.attribute = c.attribute.map((a) => (a.name === 'dilations' ? { ...a, ints: [2n, 2n] } : a.name === 'pads' ? { ...a, ints: [2n, 2n, 2n, 2n] } : a));
  } },
  { name: 'a depthwise group', base: 'net', mutate: (m) => {
    Object.assign(initOf(m, 'w'), tensor('w', [2, 1, 3, 3], new Float32Array(18).fill(0.1)));
    Object.assign(initOf(m, 'b'), tensor('b', [2], new Float32Array(2)));
    for (const k of ['gamma', 'beta', 'mean', 'var']) Object.assign(initOf(m, k), tensor(k, [2], new Float32Array(2).fill(1)));
    nodeOf(m, 'conv').attribute.find((a) => a.name === 'group')!.i = 2n;
    m.graph!.output[0] = valueInfo('y', DataType.FLOAT, ['N', 2, 2, 2]);
    initOf(m, 'shape').rawData = new Uint8Array(BigInt64Array.from([1n, 8n]).buffer);
    m.graph!.output[1] = valueInfo('flat', DataType.FLOAT, [1, 8]);
  } },
  { name: 'int8 data in int32_data', base: 'net', mutate: (m) => {
    m.graph!.initializer.push(create(TensorProtoSchema, { name: 'q', dims: [3n], dataType: DT.INT8, int32Data: [1, -2, 3] }));
  } },
];
