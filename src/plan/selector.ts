// Selectors in the plan: plain JSON, the same whether they came from .cmp or YAML.
//   {"glob": "model.1*"} | {"op": "Conv"} | {"scope": "head"} | {"union": [...]} | {"except": [base, minus]}
import type { Selector } from '../lang/ast.ts';

export type SelectorJson =
  | { glob: string } | { op: string } | { scope: string } | { union: SelectorJson[] } | { except: [SelectorJson, SelectorJson] };

export function selectorJson(s: Selector): SelectorJson {
  switch (s.kind) {
    case 'glob': return { glob: s.pattern };
    case 'op': return { op: s.name.value };
    case 'scope': return { scope: s.name.value };
    case 'union': return { union: s.items.map(selectorJson) };
    case 'except': return { except: [selectorJson(s.base), selectorJson(s.minus)] };
  }
}

/** Scope names a selector refers to, with the AST node of each reference (for "undeclared scope"). */
export function scopeRefs(s: Selector): Extract<Selector, { kind: 'scope' }>[] {
  switch (s.kind) {
    case 'scope': return [s];
    case 'union': return s.items.flatMap(scopeRefs);
    case 'except': return [...scopeRefs(s.base), ...scopeRefs(s.minus)];
    default: return [];
  }
}

/** The text of a selector in .cmp syntax (for `explain` and `fmt`-style display). */
export function selectorText(s: SelectorJson): string {
  if ('glob' in s) return JSON.stringify(s.glob);
  if ('op' in s) return `op ${s.op}`;
  if ('scope' in s) return s.scope;
  if ('union' in s) return `(${s.union.map(selectorText).join(', ')})`;
  return `${selectorText(s.except[0])} except ${selectorText(s.except[1])}`;
}

// anyOf, not oneOf: the branches exclude each other by their required key, and anyOf stops at the first match.
export const selectorSchema = {
  anyOf: [
    { type: 'object', properties: { glob: { type: 'string', minLength: 1 } }, required: ['glob'], additionalProperties: false },
    { type: 'object', properties: { op: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]*$' } }, required: ['op'], additionalProperties: false },
    { type: 'object', properties: { scope: { type: 'string' } }, required: ['scope'], additionalProperties: false },
    { type: 'object', properties: { union: { type: 'array', minItems: 1, items: { $ref: '#/definitions/selector' } } }, required: ['union'], additionalProperties: false },
    { type: 'object', properties: { except: { type: 'array', minItems: 2, maxItems: 2, items: { $ref: '#/definitions/selector' } } }, required: ['except'], additionalProperties: false },
  ],
} as const;
