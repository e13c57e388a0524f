// Attributes: each one is an attribute the op's schema declares, of the declared type (an INTS kernel_shape,
// not a STRING), named once; required attributes are present.
import { AttributeProto_AttributeType as A } from 'onnx-buf';
import { attrTypeName } from '../../schema/table.ts';
import { schemaOf } from '../schema-of.ts';
import type { VerifyRule } from '../types.ts';

export const rule: VerifyRule = {
  id: 'attributes',
  summary: 'attributes are declared by the op, of the declared type, once each; required ones are present',
  stage: 'structure',
  needs: 'opset',
  check({ nodes, opset, report }) {
    for (const n of nodes) {
      const s = schemaOf(n, opset);
      if (!s) continue;
      const at = `node '${n.name}' (${n.opType})`;
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
