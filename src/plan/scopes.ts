// Scope resolution: every scope's selector with the scopes it names inlined. A scope named inside a file
// resolves against that file's own declarations first, so a recipe that declares `inner` does not silently
// change a profile's `head = inner, ...`; otherwise the winning declaration is used: the recipe's own over a
// used file's over the model's stdlib profile. Built-ins with no declaration stay `inferred` (found in the
// graph at run time), except `all`, which is every layer.
import type { Selector } from '../lang/ast.ts';
import type { Range } from '../lang/range.ts';
import { BUILTIN_SCOPES } from './declarations-meta.ts';
import { reportScope } from './rules/undeclared-scope.ts';
import { selectorJson, type SelectorJson } from './selector.ts';
import { diag, type Emit } from './steps.ts';
import type { ScopeDef } from './types.ts';
import { LIMITS } from '../lang/limits.ts';

const MAX_SIZE = LIMITS.scopeSelectors;
const MAX_DEPTH = LIMITS.scopeDepth;

const sizes = new WeakMap<object, number>();
/** Nodes in a selector tree, memoised: subtrees are shared, so this stays linear in the distinct nodes. */
function size(s: SelectorJson): number {
  const known = sizes.get(s);
  if (known !== undefined) return known;
  const n = 'union' in s ? 1 + s.union.reduce((a, x) => a + size(x), 0) : 'except' in s ? 1 + size(s.except[0]) + size(s.except[1]) : 1;
  sizes.set(s, n);
  return n;
}

export interface ScopeDecl { name: string; selector: Selector; file?: string; range: Range; priority: number }

type At = <T>(file: string | undefined, f: () => T) => T;

export interface ResolvedScopes { scopes: Record<string, ScopeDef>; names: Set<string> }

export function resolveScopes(decls: readonly ScopeDecl[], emit: Emit, at: At): ResolvedScopes {
  const winners = new Map<string, ScopeDecl>();
  for (const d of [...decls].sort((a, b) => a.priority - b.priority)) winners.set(d.name, d);
  const byFile = new Map<string, Map<string, ScopeDecl>>();
  for (const d of decls) {
    const key = d.file ?? '';
    if (!byFile.has(key)) byFile.set(key, new Map());
    byFile.get(key)!.set(d.name, d);
  }
  const names = new Set<string>([...BUILTIN_SCOPES, ...winners.keys()]);
  const done = new Map<ScopeDecl, SelectorJson | null>();

  const lookup = (name: string, from: ScopeDecl): ScopeDecl | undefined => byFile.get(from.file ?? '')?.get(name) ?? winners.get(name);
  const resolve = (d: ScopeDecl, stack: ScopeDecl[]): SelectorJson | null => {
    if (!done.has(d)) {
      if (stack.length >= MAX_DEPTH) {
        at(d.file, () => emit(diag('CMP3010', `scope '${d.name}' is defined through more than ${MAX_DEPTH} other scopes`, d.range)));
        done.set(d, null);
        return null;
      }
      let sel = expand(d.selector, [...stack, d], d);
      // Scopes are inlined into the plan; a definition that doubles at each level would grow exponentially.
      if (sel && size(sel) > MAX_SIZE) {
        at(d.file, () => emit(diag('CMP3010', `scope '${d.name}' expands to more than ${MAX_SIZE} selectors`, d.range)));
        sel = null;
      }
      done.set(d, sel);
    }
    return done.get(d)!;
  };
  const expand = (s: Selector, stack: ScopeDecl[], decl: ScopeDecl): SelectorJson | null => {
    switch (s.kind) {
      case 'scope': {
        const name = s.name.value;
        const target = lookup(name, decl);
        if (target && stack.includes(target)) {
          const path = [...stack.map((x) => x.name), name].join(' → ');
          at(decl.file, () => emit(diag('CMP3007', `scope '${stack[0]!.name}' is defined in terms of itself (${path})`, s.range)));
          return null;
        }
        if (!target && !names.has(name)) {
          at(decl.file, () => reportScope(name, names, (f) => emit(diag('CMP3002', f.message, s.range, undefined, f.fix))));
          return null;
        }
        return target ? resolve(target, stack) : { scope: name };
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

  // No prototype: a scope may be called `__proto__`, `constructor` or `toString` like any other name.
  const scopes: Record<string, ScopeDef> = Object.create(null);
  for (const name of [...names].sort()) {
    const decl = winners.get(name);
    if (!decl) {
      scopes[name] = name === 'all' ? { selector: { glob: '*' }, from: 'built-in' } : { inferred: true };
      continue;
    }
    const sel = resolve(decl, []);
    if (sel) scopes[name] = { selector: sel, from: decl.file ?? 'recipe' };
  }
  return { scopes, names };
}
