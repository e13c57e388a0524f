// Reading a tensor's values, from raw little-endian bytes or the typed fields, as numbers: for the small
// constants shape inference needs (shapes, axes, scales, pads) and for statistics.
import type { TensorProto } from 'onnx-buf';
import { DataType as DT, dataTypeName } from './enums.ts';

export const elementCount = (t: TensorProto): number => t.dims.reduce((a, d) => a * Number(d), 1);

/** Bytes per element of the types lithe handles; undefined for strings and sub-byte types. */
export const BYTES: Partial<Record<number, number>> = {
  [DT.FLOAT]: 4, [DT.DOUBLE]: 8, [DT.FLOAT16]: 2, [DT.BFLOAT16]: 2, [DT.INT64]: 8, [DT.UINT64]: 8, [DT.INT32]: 4,
  [DT.UINT32]: 4, [DT.INT16]: 2, [DT.UINT16]: 2, [DT.INT8]: 1, [DT.UINT8]: 1, [DT.BOOL]: 1,
};

export function tensorValues(t: TensorProto): number[] | undefined {
  const n = elementCount(t);
  if (t.rawData.length) {
    const v = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
    const read: Partial<Record<number, (i: number) => number>> = {
      [DT.FLOAT]: (i) => v.getFloat32(i * 4, true), [DT.DOUBLE]: (i) => v.getFloat64(i * 8, true),
      [DT.INT64]: (i) => Number(v.getBigInt64(i * 8, true)), [DT.INT32]: (i) => v.getInt32(i * 4, true),
      [DT.INT8]: (i) => v.getInt8(i), [DT.UINT8]: (i) => v.getUint8(i),
    };
    const f = read[t.dataType];
    return f && t.rawData.byteLength >= n * (BYTES[t.dataType] ?? 0) ? Array.from({ length: n }, (_, i) => f(i)) : undefined;
  }
  if (t.int64Data.length) return t.int64Data.map(Number);
  if (t.floatData.length) return [...t.floatData];
  if (t.int32Data.length) return [...t.int32Data];
  if (t.doubleData.length) return [...t.doubleData];
  return n === 0 ? [] : undefined;
}

/** A float32 tensor's values as a new array, or a sentence saying why there are none (another type, data
 * stored outside the file, a byte count that does not match the shape). Raw data is copied byte-wise: in a
 * loaded file it is a view at any offset, often not a multiple of 4, and Buffer.slice() does not copy. */
export function float32Copy(t: TensorProto): Float32Array | string {
  if (t.dataType !== DT.FLOAT) return `is not float32 (data type ${dataTypeName(t.dataType) ?? t.dataType})`;
  const n = elementCount(t);
  if (t.rawData.length) {
    if (t.rawData.byteLength !== n * 4) return `has ${t.rawData.byteLength} bytes for ${n} floats`;
    return new Float32Array(new Uint8Array(t.rawData).buffer);
  }
  if (t.floatData.length === n) return Float32Array.from(t.floatData);
  return 'holds no float data (stored outside the file?)';
}
