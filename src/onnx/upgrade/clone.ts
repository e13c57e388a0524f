// A deep copy of a model whose tensor bytes are shared rather than copied (a 62 M-parameter model would
// otherwise need its weights twice): the upgrade edits the copy's nodes and attributes and adds tensors,
// never writing into a tensor's raw_data, so the model it was given stays as it was.
import { clearField, clone, isFieldSet } from '@bufbuild/protobuf';
import { ModelProtoSchema, TensorProtoSchema, type ModelProto, type TensorProto } from 'onnx-buf';
import { tensorsOf } from '../walk.ts';

const RAW_DATA = TensorProtoSchema.field.rawData!;
const EMPTY = new Uint8Array(0);

export function cloneSharingBytes(model: ModelProto): ModelProto {
  const tensors = [...tensorsOf(model.graph)].map((s) => s.tensor);
  // an absent raw_data stays absent: one present but empty is read as the tensor's (missing) data
  const saved = tensors.map((t) => (isFieldSet(t, RAW_DATA) ? t.rawData : undefined));
  const restore = (t: TensorProto, i: number) => { if (saved[i]) t.rawData = saved[i]!; else clearField(t, RAW_DATA); };
  for (const t of tensors) t.rawData = EMPTY;
  let copy: ModelProto;
  try {
    copy = clone(ModelProtoSchema, model);
  } finally {
    tensors.forEach(restore);
  }
  [...tensorsOf(copy.graph)].forEach((s, i) => restore(s.tensor, i));
  return copy;
}
