// Scope resolution: every scope's selector with the user scopes it names inlined. Built-in scopes come from
// the model's stdlib profile; for a model without one they stay `inferred` (found in the graph at run time).
import type { Selector } from '../lang/ast.ts';
import type { Range } from '../lang/range.ts';
import { BUILTIN_SCOPES } from './declarations-meta.ts';
import { reportScope } from './rules/undeclared-scope.ts';
import { selectorJson, type SelectorJson } from './selector.ts';
import { diag, type Emit } from './steps.ts';
import type { ScopeDef } from './types.ts';

export interface ScopeDecl { selector: Selector; file?: string; range: Range }

type At = <T>(file: string | undefined, f: () => T) => T;

export function resolveScopes(declared: Map<string, ScopeDecl>, profile: Map<string, ScopeDecl>, emit: Emit, at: At): Record<string, ScopeDef> {
  const all = new Map(profile);
  for (const [k, v] of declared) all.set(k, v);
  const names = new Set<string>([...BUILTIN_SCOPES, ...all.keys()]);
  const done = new Map<string, SelectorJson | null>();

  const expand = (s: Selector, stack: string[], decl: ScopeDecl): SelectorJson | null => {
    switch (s.kind) {
      case 'scope': {
        const name = s.name.value;
        if (stack.includes(name)) {
          at(decl.file, () => emit(diag('CMP3007', `scope '${stack[0]}' is defined in terms of itself (${[...stack, name].join(' → ')})`, s.range)));
          return null;
        }
        if (!names.has(name)) {
          at(decl.file, () => reportScope(name, names, (f) => emit(diag('CMP3002', f.message, s.range, undefined, f.fix))));
          return null;
        }
        return all.has(name) ? resolve(name, [...stack, name]) : { scope: name };
      }
      case 'union': {
        const items = s.items.map((x) => expand(x, stack, decl));
        return items.includes(null) ? null : { union: items as SelectorJson[] };
      }
      case 'except': {
        const a = expand(s.base, stack, decl);
        const b = expand(s.minus, stack, decl);
        return a && b ? { except: [a, b] } : null;
      }
      default: return selectorJson(s);
    }
  };
  const resolve = (name: string, stack: string[]): SelectorJson | null => {
    if (done.has(name)) return done.get(name)!;
    const decl = all.get(name)!;
    const r = expand(decl.selector, stack, decl);
    done.set(name, r);
    return r;
  };

  const out: Record<string, ScopeDef> = {};
  for (const name of [...names].sort()) {
    const decl = all.get(name);
    if (!decl) {
      out[name] = name === 'all' ? { selector: { glob: '*' }, from: 'built-in' } : { inferred: true };
      continue;
    }
    const sel = resolve(name, [name]);
    if (sel) out[name] = { selector: sel, from: decl.file ?? 'recipe' };
  }
  return out;
}
