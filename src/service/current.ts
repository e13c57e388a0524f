// The symbols for a request on a text the workspace may not have analysed yet: completion and hover must
// answer in milliseconds, so they use the parse of this very text when it is cached, else the document's
// last analysis (one edit older: its declarations are almost always the same), and parse only a document
// never seen before.
import type { Workspace } from './analysis.ts';
import { symbolTable, type SymbolTable } from './symbols.ts';
import type { Parsed } from '../lang/parse.ts';
import { resolve } from 'node:path';

const tables = new WeakMap<Parsed, SymbolTable>();

export function currentParse(ws: Workspace, file: string, text: string): Parsed {
  if (ws.hasParse(text)) return ws.parse(text);
  return ws.last(file)?.parsed ?? ws.parse(text);
}

export function currentSymbols(ws: Workspace, file: string, text: string): SymbolTable {
  const parsed = currentParse(ws, file, text);
  let t = tables.get(parsed);
  if (!t) tables.set(parsed, (t = symbolTable(ws, resolve(file), parsed.recipe.statements)));
  return t;
}
