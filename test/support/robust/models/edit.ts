// Small edits on a decoded model, for the mutants: find a node or initializer by name, set an attribute.
import { clearField, create, type MessageInitShape } from '@bufbuild/protobuf';
import { AttributeProtoSchema, TensorProtoSchema, type ModelProto, type NodeProto, type TensorProto } from 'onnx-buf';
import { attr, type AttrValue } from '../../../../src/onnx/make.ts';

export function nodeOf(m: ModelProto, name: string): NodeProto {
  const n = m.graph!.node.find((x) => x.name === name);
  if (!n) throw new Error(`corpus: no node '${name}'`);
  return n;
}

export function initOf(m: ModelProto, name: string): TensorProto {
  const t = m.graph!.initializer.find((x) => x.name === name);
  if (!t) throw new Error(`corpus: no initializer '${name}'`);
  return t;
}

/** Sets attribute `name` of node `node` to a plain value, or to a hand-made attribute (a wrong type). */
export function setAttr(m: ModelProto, node: string, name: string, v: AttrValue | MessageInitShape<typeof AttributeProtoSchema>): void {
  const n = nodeOf(m, node);
  const a = typeof v === 'object' && !Array.isArray(v) && !('dims' in v) && !('node' in v) ? create(AttributeProtoSchema, { ...v, name }) : attr(name, v as AttrValue);
  n.attribute = [...n.attribute.filter((x) => x.name !== name), a];
}

export const dropAttr = (m: ModelProto, node: string, name: string): void => {
  const n = nodeOf(m, node);
  n.attribute = n.attribute.filter((x) => x.name !== name);
};

export const setMeta = (m: ModelProto, key: string, value: string): void => {
  const p = m.metadataProps.find((x) => x.key === key);
  if (!p) throw new Error(`corpus: no metadata '${key}'`);
  p.value = value;
};

/** The model's lithe.yolo heads, changed by `f`. */
export function editYolo(m: ModelProto, f: (heads: Record<string, unknown>[]) => unknown): void {
  const heads = JSON.parse(m.metadataProps.find((x) => x.key === 'lithe.yolo')!.value) as Record<string, unknown>[];
  setMeta(m, 'lithe.yolo', JSON.stringify(f(heads) ?? heads));
}

export function editSsd(m: ModelProto, f: (layout: Record<string, unknown>) => unknown): void {
  const l = JSON.parse(m.metadataProps.find((x) => x.key === 'lithe.ssd')!.value) as Record<string, unknown>;
  setMeta(m, 'lithe.ssd', JSON.stringify(f(l) ?? l));
}

/** Initializer `name` with no raw_data at all (not even an empty one), for values in a typed field. */
export function typedOf(m: ModelProto, name: string): TensorProto {
  const t = initOf(m, name);
  clearField(t, TensorProtoSchema.field.rawData!);
  return t;
}
