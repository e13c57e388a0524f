// Input types: each input of a node has an element type its op's schema allows (a Conv of INT64 weights is
// refused by onnxruntime), and inputs that share a type parameter (Conv's X and W are both T) agree. The
// types are those the file states (initializers, graph inputs, Constants) and those shape inference followed
// to a shape: where it could not follow an op it guesses the element type, and a guess must not refuse a model.
import { dtypeName } from '../../dtypes.ts';
import { schemaOf } from '../schema-of.ts';
import type { VerifyContext, VerifyRule } from '../types.ts';
import { declaredType } from '../../shape/infer.ts';
import type { Formal } from '../../schema/table.ts';

const allows = (mask: number, elem: number): boolean => elem < 31 && (mask & (1 << elem)) !== 0;
const names = (mask: number): string => [...Array(31).keys()].filter((k) => allows(mask, k)).map(dtypeName).join(', ');

/** Element types the file states (initializers, Constant outputs, declared graph inputs) or shape inference
 * followed. */
function knownTypes({ nodes, initializers, inputs, shapes }: VerifyContext): Map<string, number> {
  const types = new Map<string, number>();
  for (const [v, t] of shapes().types) if (t.shape) types.set(v, t.elem);
  for (const i of inputs) { const t = declaredType(i); if (t) types.set(i.name, t.elem); }
  for (const t of initializers) types.set(t.name, t.dataType);
  for (const n of nodes) {
    const value = n.opType === 'Constant' && !n.domain ? n.attribute.find((a) => a.name === 'value')?.t : undefined;
    if (value && n.output[0]) types.set(n.output[0], value.dataType);
  }
  return types;
}

export const rule: VerifyRule = {
  id: 'input-types',
  summary: 'node inputs have element types their op allows, and inputs of one type parameter agree',
  stage: 'semantics',
  needs: 'opset',
  check(ctx) {
    const { nodes, opset, report } = ctx;
    const types = knownTypes(ctx);
    for (const n of nodes) {
      const s = schemaOf(n, opset);
      if (!s || !s.formals.length) continue;
      const bound = new Map<string, { elem: number; value: string }>();
      n.input.forEach((value, k) => {
        const f: Formal | undefined = s.formals[k] ?? (['variadic', 'mixed'].includes(s.formals.at(-1)!.option) ? s.formals.at(-1) : undefined);
        const elem = value ? types.get(value) : undefined;
        if (!f || !f.mask || elem === undefined) return;
        const at = `node '${n.name}' (${n.opType})`;
        if (!allows(f.mask, elem)) return report({ node: n.name, value, message: `${at}: input '${value}' is ${dtypeName(elem)}; ${n.opType} takes ${names(f.mask)} there` });
        if (!f.param || f.option === 'mixed') return;
        const first = bound.get(f.param);
        if (!first) bound.set(f.param, { elem, value });
        else if (first.elem !== elem) report({ node: n.name, value, message: `${at}: inputs '${first.value}' (${dtypeName(first.elem)}) and '${value}' (${dtypeName(elem)}) must have the same type` });
      });
    }
  },
};
