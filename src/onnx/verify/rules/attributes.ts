// Attributes: each one is an attribute the op's schema declares, of the declared type (an INTS kernel_shape,
// not a STRING), named once, with its value in the field of its type (onnxruntime refuses a type of INTS
// whose values sit in floats); required attributes are present.
import { isFieldSet } from '@bufbuild/protobuf';
import { AttributeProto_AttributeType as A, AttributeProtoSchema, type AttributeProto } from 'onnx-buf';
import { attrTypeName } from '../../schema/table.ts';
import { schemaOf } from '../schema-of.ts';
import type { VerifyRule } from '../types.ts';

/** The field that holds each type's value. */
const FIELD: Record<number, Exclude<keyof AttributeProto, '$typeName' | '$unknown'>> = {
  [A.FLOAT]: 'f', [A.INT]: 'i', [A.STRING]: 's', [A.TENSOR]: 't', [A.GRAPH]: 'g', [A.SPARSE_TENSOR]: 'sparseTensor', [A.TYPE_PROTO]: 'tp',
  [A.FLOATS]: 'floats', [A.INTS]: 'ints', [A.STRINGS]: 'strings', [A.TENSORS]: 'tensors', [A.GRAPHS]: 'graphs', [A.SPARSE_TENSORS]: 'sparseTensors', [A.TYPE_PROTOS]: 'typeProtos',
};

/** The types whose fields hold a value (a list counts when not empty), as the ONNX checker counts them. */
function usedTypes(a: AttributeProto): A[] {
  return Object.entries(FIELD).filter(([, f]) => {
    const v = a[f];
    return Array.isArray(v) ? v.length > 0 : isFieldSet(a, AttributeProtoSchema.field[f]!);
  }).map(([t]) => Number(t) as A);
}

function dataProblem(a: AttributeProto): string | undefined {
  if (a.refAttrName) return undefined;
  const used = usedTypes(a);
  if (used.length > 1) return `attribute '${a.name}' holds values of several types (${used.map(attrTypeName).join(', ')})`;
  if (used.length && used[0] !== a.type) return `attribute '${a.name}' is typed ${a.type === A.UNDEFINED ? 'UNDEFINED' : attrTypeName(a.type)} but holds ${attrTypeName(used[0]!)}`;
  return undefined;
}

export const rule: VerifyRule = {
  id: 'attributes',
  summary: 'attributes are declared by the op, of the declared type, once each; required ones are present',
  stage: 'structure',
  check({ nodes, opset, report }) {
    for (const n of nodes) {
      const at = `node '${n.name}' (${n.opType})`;
      for (const a of n.attribute) {
        const p = dataProblem(a);
        if (p) report({ node: n.name, message: `${at}: ${p}` });
      }
      const s = schemaOf(n, opset);
      if (!s) continue;
      const seen = new Set<string>();
      for (const a of n.attribute) {
        if (seen.has(a.name)) report({ node: n.name, message: `${at} has attribute '${a.name}' twice` });
        seen.add(a.name);
        const want = s.attrs.get(a.name);
        if (!want) report({ node: n.name, message: `${at} has attribute '${a.name}', which ${n.opType} does not take${s.attrs.size ? ` (it takes ${[...s.attrs.keys()].join(', ')})` : ''}` });
        else if (a.refAttrName) continue; // a reference to a function's attribute: typed where it is given
        else if (a.type !== want.type) report({ node: n.name, message: `${at}: attribute '${a.name}' must be ${attrTypeName(want.type)}, not ${a.type === A.UNDEFINED ? 'untyped' : attrTypeName(a.type)}` });
      }
      for (const [name, want] of s.attrs) if (want.required && !seen.has(name)) report({ node: n.name, message: `${at} lacks the required attribute '${name}'` });
    }
  },
};
