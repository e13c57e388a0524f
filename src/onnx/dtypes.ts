// The tensor element types of onnx.proto (TensorProto.DataType) and how a tensor of each stores its values:
// the width of one element in raw_data, and the typed field that holds them otherwise (onnx.proto's comments
// on each field). The verifier checks every tensor's byte count against this table.
import { TensorProto_DataType as DT } from 'onnx-buf';

/** The typed fields of TensorProto. */
export type DataField = 'floatData' | 'int32Data' | 'int64Data' | 'doubleData' | 'uint64Data' | 'stringData';

export interface DtypeInfo {
  /** Bits per element in raw_data (undefined: strings, which have no raw form). */
  bits?: number;
  /** The typed field that holds the values when raw_data is empty. */
  field: DataField;
  /** Values of `field` per element: 2 for complex numbers (real, imaginary); for packed sub-byte types,
   * elements per value (int4: two in each int32) is given by `packed`. */
  perElement?: number;
  packed?: number;
}

const small = (bits: number): DtypeInfo => ({ bits, field: 'int32Data' });

export const DTYPES: Readonly<Partial<Record<number, DtypeInfo>>> = {
  [DT.FLOAT]: { bits: 32, field: 'floatData' },
  [DT.UINT8]: small(8), [DT.INT8]: small(8), [DT.UINT16]: small(16), [DT.INT16]: small(16), [DT.INT32]: small(32),
  [DT.INT64]: { bits: 64, field: 'int64Data' },
  [DT.STRING]: { field: 'stringData' },
  [DT.BOOL]: small(8), [DT.FLOAT16]: small(16), [DT.BFLOAT16]: small(16),
  [DT.DOUBLE]: { bits: 64, field: 'doubleData' },
  [DT.UINT32]: { bits: 32, field: 'uint64Data' }, [DT.UINT64]: { bits: 64, field: 'uint64Data' },
  [DT.COMPLEX64]: { bits: 64, field: 'floatData', perElement: 2 },
  [DT.COMPLEX128]: { bits: 128, field: 'doubleData', perElement: 2 },
  [DT.FLOAT8E4M3FN]: small(8), [DT.FLOAT8E4M3FNUZ]: small(8), [DT.FLOAT8E5M2]: small(8), [DT.FLOAT8E5M2FNUZ]: small(8),
  [DT.FLOAT8E8M0]: small(8),
  [DT.UINT4]: { bits: 4, field: 'int32Data', packed: 2 }, [DT.INT4]: { bits: 4, field: 'int32Data', packed: 2 },
  [DT.FLOAT4E2M1]: { bits: 4, field: 'int32Data', packed: 2 },
  [DT.UINT2]: { bits: 2, field: 'int32Data', packed: 4 }, [DT.INT2]: { bits: 2, field: 'int32Data', packed: 4 },
};

/** A dtype's name as ONNX spells it in messages (`FLOAT`, `INT64`), or its number when it has none. */
export const dtypeName = (t: number): string => DT[t] ?? String(t);

/** Bytes of raw_data that `count` elements of type `t` take; undefined for strings and unknown types. */
export function rawBytes(t: number, count: number): number | undefined {
  const bits = DTYPES[t]?.bits;
  return bits === undefined ? undefined : Math.ceil((count * bits) / 8);
}

/** How many values the typed field holds for `count` elements of type `t`. */
export function fieldLength(t: number, count: number): number {
  const d = DTYPES[t];
  if (!d) return count;
  return d.packed ? Math.ceil(count / d.packed) : count * (d.perElement ?? 1);
}
