// Tensors: a known element type, dimensions that are whole, non-negative and of a sane size, and data whose
// length is exactly what the shape and type call for, in one place (raw_data or the one typed field the type
// uses). onnxruntime refuses anything else with a message of its own, and lithe's statistics would count
// the claimed shape (a dimension of 10^15 is a 10^15-parameter model).
import { isFieldSet } from '@bufbuild/protobuf';
import { TensorProtoSchema, TensorProto_DataLocation, type TensorProto } from 'onnx-buf';
import { DTYPES, dtypeName, fieldLength, rawBytes, type DataField } from '../../dtypes.ts';
import { tensorsIn } from '../../walk.ts';
import type { VerifyRule } from '../types.ts';

/**
 * The most elements one tensor may have: 2^31 (8 GiB of float32). The largest weight of a detector is a few
 * million elements, and a dimension beyond this is a corrupt file; it also keeps every count exact in a
 * JavaScript number.
 */
export const MAX_ELEMENTS = 2 ** 31;

const FIELDS: readonly DataField[] = ['floatData', 'int32Data', 'int64Data', 'doubleData', 'uint64Data', 'stringData'];
const FIELD_NAMES: Record<DataField, string> = { floatData: 'float_data', int32Data: 'int32_data', int64Data: 'int64_data', doubleData: 'double_data', uint64Data: 'uint64_data', stringData: 'string_data' };

/** What is wrong with one tensor, or undefined. */
export function tensorProblem(t: TensorProto): string | undefined {
  const info = DTYPES[t.dataType];
  if (!info) return `has data type ${t.dataType}, which is not an ONNX tensor type`;
  let count = 1n;
  for (const d of t.dims) {
    if (d < 0n) return `has a negative dimension (${t.dims.join(' x ')})`;
    count *= d;
    if (count > BigInt(MAX_ELEMENTS)) return `claims ${t.dims.join(' x ')} elements, more than the ${MAX_ELEMENTS} lithe accepts in one tensor`;
  }
  if (t.dataLocation === TensorProto_DataLocation.EXTERNAL) return undefined; // read by the loader, which checks its length
  const n = Number(count);
  const used = FIELDS.filter((f) => t[f].length);
  // raw_data, when present even empty, is where onnxruntime reads the values from
  if (t.rawData.length || isFieldSet(t, TensorProtoSchema.field.rawData!)) {
    if (used.length) return `holds its data twice (raw_data${t.rawData.length ? '' : ', present but empty,'} and ${FIELD_NAMES[used[0]!]})`;
    const want = rawBytes(t.dataType, n);
    if (want === undefined) return `is ${dtypeName(t.dataType)}, which cannot be stored as raw_data`;
    return t.rawData.length === want ? undefined : `is ${dtypeName(t.dataType)} ${shape(t)}: ${want} bytes of data expected, raw_data has ${t.rawData.length}`;
  }
  if (used.length > 1 || (used.length === 1 && used[0] !== info.field)) return `is ${dtypeName(t.dataType)} but stores values in ${used.map((f) => FIELD_NAMES[f]).join(' and ')} (expected ${FIELD_NAMES[info.field]})`;
  const want = fieldLength(t.dataType, n);
  const got = t[info.field].length;
  if (got === want) return undefined;
  return got ? `is ${dtypeName(t.dataType)} ${shape(t)}: ${want} values expected in ${FIELD_NAMES[info.field]}, found ${got}` : `is ${dtypeName(t.dataType)} ${shape(t)} but holds no data`;
}

const shape = (t: TensorProto): string => `[${t.dims.join(', ')}]`;

export const rule: VerifyRule = {
  id: 'tensors',
  summary: 'tensors have a known type, sane dimensions, and exactly the data their shape calls for',
  stage: 'structure',
  check({ nodes, initializers, report }) {
    for (const { tensor, where } of tensorsIn(nodes, initializers)) {
      const p = tensorProblem(tensor);
      if (p) report({ value: tensor.name, message: `${where} ${p}` });
    }
  },
};
