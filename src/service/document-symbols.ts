// Document symbols: the outline of a recipe, one entry per statement: declarations by what they declare,
// steps as `N. verb` with their head.
import type { Statement } from '../lang/ast.ts';
import type { Workspace } from './analysis.ts';
import { currentParse } from './current.ts';
import type { DocumentSymbol } from './types.ts';

/** The source text of a range, on one line and clipped, as an outline's detail. */
const clip = (text: string, s: { range: { start: { offset: number }; end: { offset: number } } }): string => {
  const t = text.slice(s.range.start.offset, s.range.end.offset).replace(/\s+/g, ' ').trim();
  return t.length > 80 ? `${t.slice(0, 79)}…` : t;
};

function symbolOf(s: Statement, text: string, step: () => number): DocumentSymbol | undefined {
  const base = { range: s.range, detail: clip(text, s) };
  switch (s.kind) {
    case 'scope': return { ...base, name: s.name.value, kind: 'scope', selectionRange: s.name.range };
    case 'teacher': return { ...base, name: s.name?.value ?? 'teacher', kind: 'teacher', selectionRange: s.name?.range ?? s.source.range };
    case 'set': return { ...base, name: `set ${s.key.value}`, kind: 'set', selectionRange: s.key.range };
    case 'model': return { ...base, name: 'model', kind: 'model', selectionRange: s.source.range };
    case 'data': return { ...base, name: 'data', kind: 'data', selectionRange: s.format.range };
    case 'target': return { ...base, name: `target ${s.name.value}`, kind: 'target', selectionRange: s.name.range };
    case 'input': return { ...base, name: 'input', kind: 'input', selectionRange: s.size.range };
    case 'head': return { ...base, name: 'head', kind: 'head', selectionRange: s.head.range };
    case 'use': return { ...base, name: 'use', kind: 'use', selectionRange: s.path?.range ?? s.stdlib?.range ?? s.range };
    case 'step': return { ...base, name: `${step()}. ${s.verb.value}`, kind: 'step', selectionRange: s.verb.range };
    default: return undefined;
  }
}

export function documentSymbols(ws: Workspace, file: string, text: string): DocumentSymbol[] {
  let n = 0;
  const out: DocumentSymbol[] = [];
  for (const s of currentParse(ws, file, text).recipe.statements) {
    const sym = symbolOf(s, text, () => ++n);
    if (sym) out.push(sym);
  }
  return out;
}
