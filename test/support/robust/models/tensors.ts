// Tensors whose data does not fit their shape or type: raw data too short or too long, typed fields of the
// wrong length or the wrong field, unknown types, negative and absurd dimensions.
import { create } from '@bufbuild/protobuf';
import { TensorProtoSchema, TensorProto_DataType as DT } from 'onnx-buf';
import { node } from '../../../../src/onnx/make.ts';
import { initOf, typedOf } from './edit.ts';
import type { Mutant } from './types.ts';

const grow = (b: Uint8Array, n: number): Uint8Array<ArrayBuffer> => { const o = new Uint8Array(b.length + n); o.set(b); return o; };
const floats = (n: number): number[] => Array.from({ length: n }, (_, i) => i / 10);

export const tensorMutants: Mutant[] = [
  { name: 'raw data 4 bytes short', base: 'net', mutate: (m) => { const t = initOf(m, 'w'); t.rawData = t.rawData.slice(0, -4); } },
  { name: 'raw data 1 byte short', base: 'net', mutate: (m) => { const t = initOf(m, 'b'); t.rawData = t.rawData.slice(0, -1); } },
  { name: 'raw data 4 bytes long', base: 'net', mutate: (m) => { const t = initOf(m, 'w'); t.rawData = grow(t.rawData, 4); } },
  { name: 'raw data twice as long', base: 'net', mutate: (m) => { const t = initOf(m, 'gamma'); t.rawData = grow(t.rawData, t.rawData.length); } },
  { name: 'raw data of half the tensor', base: 'yolo', mutate: (m) => { const t = initOf(m, 'l1.weight'); t.rawData = t.rawData.slice(0, t.rawData.length / 2); } },
  { name: 'int64 shape tensor with 12 bytes', base: 'net', mutate: (m) => { const t = initOf(m, 'shape'); t.rawData = t.rawData.slice(0, 12); } },
  { name: 'no data for a 3-element tensor', base: 'net', mutate: (m) => { initOf(m, 'var').rawData = new Uint8Array(0); } },
  { name: 'float_data one value short', base: 'net', mutate: (m) => { typedOf(m, 'b').floatData = [1, 2]; } },
  { name: 'float_data one value long', base: 'net', mutate: (m) => { typedOf(m, 'w').floatData = floats(55); } },
  { name: 'no data at all', base: 'net', mutate: (m) => { typedOf(m, 'mean'); } },
  { name: 'int64_data for a float tensor', base: 'net', mutate: (m) => { typedOf(m, 'b').int64Data = [1n, 2n, 3n]; } },
  { name: 'int64_data of the wrong length', base: 'net', mutate: (m) => { typedOf(m, 'shape').int64Data = [1n, 12n, 1n]; } },
  { name: 'raw_data and float_data both', base: 'net', mutate: (m) => { initOf(m, 'b').floatData = [1, 2, 3]; } },
  { name: 'an empty raw_data beside float_data', base: 'net', mutate: (m) => { const t = initOf(m, 'b'); t.rawData = new Uint8Array(0); t.floatData = [1, 2, 3]; } },
  { name: 'double_data for a float tensor', base: 'net', mutate: (m) => { typedOf(m, 'beta').doubleData = [0, 0, 0]; } },
  { name: 'string_data for a float tensor', base: 'net', mutate: (m) => { typedOf(m, 'beta').stringData = [0, 0, 0].map(() => new Uint8Array(1)); } },
  { name: 'data type 999', base: 'net', mutate: (m) => { initOf(m, 'w').dataType = 999; } },
  { name: 'data type 0 (undefined)', base: 'net', mutate: (m) => { initOf(m, 'b').dataType = DT.UNDEFINED; } },
  { name: 'data type -1', base: 'yolo', mutate: (m) => { initOf(m, 'head1.weight').dataType = -1; } },
  { name: 'float weights relabelled double', base: 'net', mutate: (m) => { initOf(m, 'w').dataType = DT.DOUBLE; } },
  { name: 'float weights relabelled int32', base: 'net', mutate: (m) => { initOf(m, 'w').dataType = DT.INT32; } },
  { name: 'float bias relabelled float16 with its bytes', base: 'net', mutate: (m) => { const t = initOf(m, 'b'); t.dataType = DT.FLOAT16; t.dims = [6n]; } },
  { name: 'string tensor as a weight', base: 'net', mutate: (m) => { const t = typedOf(m, 'b'); t.dataType = DT.STRING; t.stringData = [1, 2, 3].map((i) => new Uint8Array([i])); } },
  { name: 'string tensor stored as raw_data', base: 'net', mutate: (m) => { initOf(m, 'b').dataType = DT.STRING; } },
  { name: 'negative dimension', base: 'net', mutate: (m) => { initOf(m, 'w').dims = [-3n, 2n, 3n, 3n]; } },
  { name: 'dimension 10^15', base: 'net', mutate: (m) => { initOf(m, 'w').dims = [10n ** 15n, 2n, 3n, 3n]; } },
  { name: 'dimensions multiplying past 2^31', base: 'net', mutate: (m) => { initOf(m, 'b').dims = [1n << 20n, 1n << 20n]; } },
  { name: 'dimension 2^63 - 1', base: 'yolo', mutate: (m) => { initOf(m, 'l2.weight').dims[0] = (1n << 63n) - 1n; } },
  { name: 'weight dims transposed', base: 'net', mutate: (m) => { initOf(m, 'w').dims = [2n, 3n, 3n, 3n]; } },
  { name: 'weight flattened to one dimension', base: 'net', mutate: (m) => { initOf(m, 'w').dims = [54n]; } },
  { name: 'weight of 5 dimensions', base: 'net', mutate: (m) => { initOf(m, 'w').dims = [3n, 2n, 3n, 3n, 1n]; } },
  { name: 'Constant value with 9 bytes for 2 int64', base: 'net', mutate: (m) => {
    m.graph!.initializer = m.graph!.initializer.filter((t) => t.name !== 'shape');
    const value = create(TensorProtoSchema, { name: 'value', dims: [2n], dataType: DT.INT64, rawData: new Uint8Array(9) });
    m.graph!.node.unshift(node('Constant', [], ['shape'], { value }, 'const'));
  } },
];
