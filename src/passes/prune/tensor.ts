// Weights as numbers, and weights with channels removed. Tensors are replaced, never written into: a Graph
// shares its tensors' bytes with the model it came from (Graph.fromModel).
import { TensorProto_DataType as DT, type TensorProto } from 'onnx-buf';
import { create } from '@bufbuild/protobuf';
import { TensorProtoSchema } from 'onnx-buf';
import { BYTES, elementCount, float32Copy } from '../../onnx/tensor.ts';
import { PruneError } from './dependency/types.ts';

/** A float32 tensor's values (a copy). */
export function readFloats(t: TensorProto): Float32Array {
  const v = float32Copy(t);
  if (typeof v === 'string') throw new PruneError(`weight '${t.name}' ${v}; lithe prunes float32 models`);
  return v;
}

/** The tensor's bytes, little-endian, whichever field holds them. */
function rawBytes(t: TensorProto): Uint8Array {
  if (t.rawData.length || !elementCount(t)) return t.rawData;
  if (t.dataType === DT.FLOAT) return new Uint8Array(Float32Array.from(t.floatData).buffer);
  if (t.dataType === DT.INT64) return new Uint8Array(BigInt64Array.from(t.int64Data).buffer);
  throw new PruneError(`tensor '${t.name}' stores its values in a way lithe cannot slice (type ${t.dataType})`);
}

/** The tensor with only the `keep` indices of the given axes (other axes whole). */
export function sliceTensor(t: TensorProto, keep: ReadonlyMap<number, readonly number[]>): TensorProto {
  const dims = t.dims.map(Number);
  const size = BYTES[t.dataType];
  if (!size) throw new PruneError(`tensor '${t.name}' has a type lithe cannot slice (${t.dataType})`);
  const kept = dims.map((d, a) => keep.get(a) ?? Array.from({ length: d }, (_, i) => i));
  const last = Math.max(...keep.keys());
  // bytes of one index of `last`: everything after it is contiguous and copied whole
  const chunk = dims.slice(last + 1).reduce((a, d) => a * d, 1) * size;
  const src = rawBytes(t);
  if (src.byteLength !== elementCount(t) * size) throw new PruneError(`tensor '${t.name}' has no data in the model (external data is not supported)`);
  const out = new Uint8Array(kept.reduce((a, k) => a * k.length, 1) * size);
  const strides = dims.map((_, a) => dims.slice(a + 1).reduce((x, d) => x * d, 1) * size);
  let o = 0;
  const copy = (axis: number, base: number): void => {
    for (const i of kept[axis]!) {
      const at = base + i * strides[axis]!;
      if (axis === last) { out.set(src.subarray(at, at + chunk), o); o += chunk; } else copy(axis + 1, at);
    }
  };
  copy(0, 0);
  return create(TensorProtoSchema, { name: t.name, dataType: t.dataType, dims: kept.map((k) => BigInt(k.length)), rawData: out });
}
