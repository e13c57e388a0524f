// The ONNX enums that graph-reading helpers (attrs.ts, tensor.ts) compare against, with the numbers onnx.proto
// fixes. Importing them from onnx-buf would load the whole protobuf runtime (some 90 modules) into commands that
// never decode a model, such as `lithe check`; test/onnx-enums.test.ts checks each value against onnx-buf's.

export const DataType = {
  UNDEFINED: 0, FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, STRING: 8, BOOL: 9,
  FLOAT16: 10, DOUBLE: 11, UINT32: 12, UINT64: 13, COMPLEX64: 14, COMPLEX128: 15, BFLOAT16: 16,
} as const;

export const AttributeType = {
  UNDEFINED: 0, FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8, TENSORS: 9,
  GRAPHS: 10, SPARSE_TENSOR: 11, SPARSE_TENSORS: 12, TYPE_PROTO: 13, TYPE_PROTOS: 14,
} as const;

const NAMES = new Map<number, string>(Object.entries(DataType).map(([k, v]) => [v, k]));

/** FLOAT16 for 10; undefined for a number this table lacks. */
export const dataTypeName = (v: number): string | undefined => NAMES.get(v);
