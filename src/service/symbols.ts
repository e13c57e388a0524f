// The symbol table of a recipe: its declarations with their ranges (scopes, teachers, sets, the model, data,
// target), the scopes of the files it uses (each with its file) and of the model's stdlib profile, and the
// targets of its `use` statements. Built from the parse, so it exists whenever the text lexes.
import { dirname, resolve } from 'node:path';
import type { Statement } from '../lang/ast.ts';
import type { Range } from '../lang/range.ts';
import { selectorJson, selectorText } from '../plan/selector.ts';
import { stdlibNames, stdlibPath } from '../plan/sources.ts';
import { LIMITS } from '../lang/limits.ts';
import type { Workspace } from './analysis.ts';

export interface ScopeSymbol {
  name: string;
  /** The selector, in .cmp syntax. */
  selector: string;
  /** The absolute path of the file that declares it. */
  file: string;
  /** The name's range in that file. */
  range: Range;
  /** `recipe`, `use` (a used file), `profile` (the model's stdlib profile). */
  origin: 'recipe' | 'use' | 'profile';
}

export interface TeacherSymbol { name: string; source: string; range: Range; nameRange: Range }
export interface UseSymbol { range: Range; target: string }

export interface SymbolTable {
  scopes: Map<string, ScopeSymbol>;
  teachers: Map<string, TeacherSymbol>;
  uses: UseSymbol[];
  model?: { source: string; zoo: boolean; range: Range };
  statements: readonly Statement[];
}

/** The file a `use` statement brings in, from the file `from`. */
export function useTarget(s: Extract<Statement, { kind: 'use' }>, from: string): string | undefined {
  if (s.stdlib) return stdlibNames().includes(s.stdlib.value) ? stdlibPath(s.stdlib.value) : undefined;
  return s.path ? resolve(dirname(from), s.path.value) : undefined;
}

const scopeOf = (s: Extract<Statement, { kind: 'scope' }>, file: string, origin: ScopeSymbol['origin']): ScopeSymbol => ({
  name: s.name.value, selector: selectorText(selectorJson(s.selector)), file, range: s.name.range, origin,
});

/** The symbols of `file` whose statements are `statements`; used files are read through the workspace. */
export function symbolTable(ws: Workspace, file: string, statements: readonly Statement[]): SymbolTable {
  const table: SymbolTable = { scopes: new Map(), teachers: new Map(), uses: [], statements };
  const seen = new Set([file]);
  const usedScopes = (from: string, stmts: readonly Statement[], depth: number): void => {
    for (const s of stmts) {
      if (s.kind === 'scope' && !table.scopes.has(s.name.value)) table.scopes.set(s.name.value, scopeOf(s, from, 'use'));
      if (s.kind !== 'use' || depth > LIMITS.useDepth) continue;
      const target = useTarget(s, from);
      if (!target || seen.has(target)) continue;
      seen.add(target);
      const text = ws.text(target);
      if (text !== undefined) usedScopes(target, ws.parse(text).recipe.statements, depth + 1);
    }
  };
  for (const s of statements) {
    if (s.kind === 'scope' && !table.scopes.has(s.name.value)) table.scopes.set(s.name.value, scopeOf(s, file, 'recipe'));
    if (s.kind === 'teacher') {
      const name = s.name?.value ?? 'teacher';
      table.teachers.set(name, { name, source: s.zoo ? `zoo:${s.source.value}` : s.source.value, range: s.range, nameRange: s.name?.range ?? s.source.range });
    }
    if (s.kind === 'model' && !table.model) table.model = { source: s.source.value, zoo: s.zoo, range: s.source.range };
    if (s.kind === 'use') {
      const target = useTarget(s, file);
      if (target) table.uses.push({ range: s.path?.range ?? s.stdlib?.range ?? s.range, target });
    }
  }
  // The recipe's own scopes win over a used file's, and a used file's over the profile's (as the checker has it).
  usedScopes(file, statements.filter((s) => s.kind === 'use'), 1);
  if (table.model?.zoo && stdlibNames().includes(table.model.source)) {
    const profile = stdlibPath(table.model.source);
    const text = ws.text(profile);
    for (const s of text === undefined ? [] : ws.parse(text).recipe.statements) {
      if (s.kind === 'scope' && !table.scopes.has(s.name.value)) table.scopes.set(s.name.value, scopeOf(s, profile, 'profile'));
    }
  }
  return table;
}
