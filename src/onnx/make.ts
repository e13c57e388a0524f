// Constructors for ONNX protobuf messages, in the spirit of onnx.helper: what builders, passes and tests use
// to make nodes, tensors and models without spelling out protobuf plumbing.
import { create } from '@bufbuild/protobuf';
import {
  AttributeProto_AttributeType as AttrType, AttributeProtoSchema, GraphProtoSchema, ModelProtoSchema, NodeProtoSchema,
  OperatorSetIdProtoSchema, StringStringEntryProtoSchema, TensorProtoSchema, TensorProto_DataType as DataType,
  TypeProtoSchema, TypeProto_TensorSchema, TensorShapeProtoSchema, TensorShapeProto_DimensionSchema, ValueInfoProtoSchema,
  type AttributeProto, type GraphProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto,
} from 'onnx-buf';

export { DataType };

/** The opset lithe writes by default: TensorRT 8.2, the last release for the Jetson TX2, reads up to 13. */
export const DEFAULT_OPSET = 13;
/** IR version 7 goes with opset 13 (ONNX 1.8). */
export const DEFAULT_IR_VERSION = 7n;

export type AttrValue = number | bigint | string | number[] | bigint[] | TensorProto | GraphProto;

/** An attribute from a plain value: integers become INT(S), other numbers FLOAT(S) unless `float` says so. */
export function attr(name: string, v: AttrValue, float = false): AttributeProto {
  if (typeof v === 'string') return create(AttributeProtoSchema, { name, type: AttrType.STRING, s: new TextEncoder().encode(v) });
  if (typeof v === 'bigint') return create(AttributeProtoSchema, { name, type: AttrType.INT, i: v });
  if (typeof v === 'number') {
    return !float && Number.isInteger(v)
      ? create(AttributeProtoSchema, { name, type: AttrType.INT, i: BigInt(v) })
      : create(AttributeProtoSchema, { name, type: AttrType.FLOAT, f: v });
  }
  if (Array.isArray(v)) {
    const ints = !float && (v as (number | bigint)[]).every((x) => typeof x === 'bigint' || Number.isInteger(x));
    return ints
      ? create(AttributeProtoSchema, { name, type: AttrType.INTS, ints: (v as (number | bigint)[]).map((x) => BigInt(x)) })
      : create(AttributeProtoSchema, { name, type: AttrType.FLOATS, floats: v as number[] });
  }
  if ('dims' in v) return create(AttributeProtoSchema, { name, type: AttrType.TENSOR, t: v });
  return create(AttributeProtoSchema, { name, type: AttrType.GRAPH, g: v });
}

export function node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}, name = outputs[0] ?? opType): NodeProto {
  return create(NodeProtoSchema, {
    opType, input: inputs, output: outputs, name,
    attribute: Object.entries(attrs).map(([k, v]) => attr(k, v)),
  });
}

const BYTES_PER: Partial<Record<DataType, number>> = { [DataType.FLOAT]: 4, [DataType.FLOAT16]: 2, [DataType.INT64]: 8, [DataType.INT32]: 4, [DataType.INT8]: 1, [DataType.UINT8]: 1, [DataType.DOUBLE]: 8 };

/** A tensor whose data is stored as raw little-endian bytes (how ONNX models store large tensors). */
export function tensor(name: string, dims: readonly number[], data: Float32Array | Float64Array | Int32Array | BigInt64Array | Int8Array | Uint8Array | Uint16Array, dataType?: DataType): TensorProto {
  const type = dataType ?? (data instanceof Float32Array ? DataType.FLOAT : data instanceof Float64Array ? DataType.DOUBLE
    : data instanceof Int32Array ? DataType.INT32 : data instanceof BigInt64Array ? DataType.INT64 : data instanceof Int8Array ? DataType.INT8 : DataType.UINT8);
  const count = dims.reduce((a, b) => a * b, 1);
  const bytes = BYTES_PER[type];
  if (bytes !== undefined && count * bytes !== data.byteLength) {
    throw new Error(`tensor '${name}': ${dims.join('x')} needs ${count * bytes} bytes of data, got ${data.byteLength}`);
  }
  return create(TensorProtoSchema, {
    name, dims: dims.map((d) => BigInt(d)), dataType: type,
    rawData: copyBytes(data),
  });
}

function copyBytes(data: ArrayBufferView): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(data.byteLength);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return out;
}

/** A typed value: dims are numbers, or names for symbolic dimensions (`'N'` for the batch). */
export function valueInfo(name: string, elemType: DataType, dims: readonly (number | string)[]): ValueInfoProto {
  const dim = dims.map((d) => create(TensorShapeProto_DimensionSchema, {
    value: typeof d === 'number' ? { case: 'dimValue', value: BigInt(d) } : { case: 'dimParam', value: d },
  }));
  const tensorType = create(TypeProto_TensorSchema, { elemType, shape: create(TensorShapeProtoSchema, { dim }) });
  return create(ValueInfoProtoSchema, { name, type: create(TypeProtoSchema, { value: { case: 'tensorType', value: tensorType } }) });
}

export function graph(name: string, nodes: NodeProto[], inputs: ValueInfoProto[], outputs: ValueInfoProto[], initializer: TensorProto[] = []): GraphProto {
  return create(GraphProtoSchema, { name, node: nodes, input: inputs, output: outputs, initializer });
}

/** A model lithe writes: opset 13 unless told otherwise, and metadata saying why. */
export function model(g: GraphProto, opts: { opset?: number; irVersion?: bigint; metadata?: Record<string, string> } = {}): ModelProto {
  const opset = opts.opset ?? DEFAULT_OPSET;
  const metadata = { 'lithe.opset': `${opset}${opset === DEFAULT_OPSET ? ' (the newest TensorRT 8.2 reads; TensorRT 8.2 is the last for the Jetson TX2)' : ''}`, ...opts.metadata };
  return create(ModelProtoSchema, {
    irVersion: opts.irVersion ?? DEFAULT_IR_VERSION,
    producerName: 'lithe', producerVersion: '0.1.0',
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(opset) })],
    graph: g,
    metadataProps: Object.entries(metadata).map(([key, value]) => create(StringStringEntryProtoSchema, { key, value })),
  });
}

/** Sets (or replaces) one metadata entry of a model. */
export function setMetadata(m: ModelProto, key: string, value: string): void {
  m.metadataProps = [...m.metadataProps.filter((p) => p.key !== key), create(StringStringEntryProtoSchema, { key, value })];
}

export const getMetadata = (m: ModelProto, key: string): string | undefined => m.metadataProps.find((p) => p.key === key)?.value;
