// Go to definition: a scope's declaration (in the recipe, a used file or the model's profile), a teacher's,
// and the file a `use`, `model` or `teacher` names.
import { dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { Workspace } from './analysis.ts';
import { currentSymbols } from './current.ts';
import { statementAt, tokenAt, walk } from './node-at.ts';
import { stdlibNames, stdlibPath } from '../plan/sources.ts';
import { NO_RANGE } from '../lang/range.ts';
import type { Location } from './types.ts';

const unquote = (s: string): string => s.replace(/^"/, '').replace(/"$/, '').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));

export function definition(ws: Workspace, file: string, text: string, offset: number): Location[] {
  const toks = statementAt(text, offset);
  const at = tokenAt(toks, offset);
  if (at === -1) return [];
  const slot = walk(toks).slots[at]!;
  const word = toks[at]!.image;
  const symbols = () => currentSymbols(ws, file, text);
  const fileAt = (p: string): Location[] => (existsSync(p) ? [{ file: p, range: NO_RANGE }] : []);
  if ((slot.kind === 'role' && slot.part.role === 'scope') || (slot.kind === 'selector' && slot.what === 'scope')) {
    const s = symbols().scopes.get(word);
    return s ? [{ file: s.file, range: s.range }] : [];
  }
  if (slot.kind !== 'role') return [];
  switch (slot.part.role) {
    case 'from': {
      const t = symbols().teachers.get(word);
      return t ? [{ file: resolve(file), range: t.nameRange }] : [];
    }
    case 'use':
      if (word.startsWith('"')) return fileAt(resolve(dirname(resolve(file)), unquote(word)));
      return stdlibNames().includes(word) ? fileAt(stdlibPath(word)) : [];
    case 'source': case 'path':
      if (toks[at]!.tokenType.name === 'ZooRef') {
        const name = word.slice(4);
        return stdlibNames().includes(name) ? fileAt(stdlibPath(name)) : [];
      }
      return word.startsWith('"') ? fileAt(resolve(dirname(resolve(file)), unquote(word))) : [];
    default: return [];
  }
}
