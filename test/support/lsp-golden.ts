// Golden cases of the language server (test/data/lsp/<feature>/): an input with `$N` markers where the
// feature is asked, and expected.txt, what the server answered, one block per marker. `UPDATE_GOLDEN=1`
// rewrites expected.txt; review the diff before committing.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodeAction, CompletionItem, Diagnostic, DocumentSymbol, Hover, Location, TextEdit } from 'vscode-languageserver/node.js';
import { uriOf, type LspClient } from './lsp-client.ts';

export const LSP_GOLDEN = 'test/data/lsp';
export const updating = process.env.UPDATE_GOLDEN === '1';

export const lspCases = (): string[] => readdirSync(LSP_GOLDEN).filter((d) => !d.startsWith('.')).sort();

/** The input without its markers, and the offset of each marker. */
export function markers(text: string): { text: string; at: Map<string, number> } {
  const at = new Map<string, number>();
  let out = '';
  let last = 0;
  for (const m of text.matchAll(/\$(\d+)/g)) {
    out += text.slice(last, m.index);
    at.set(m[1]!, out.length);
    last = m.index! + m[0].length;
  }
  return { text: out + text.slice(last), at };
}

const positionAt = (text: string, offset: number) => {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - before.lastIndexOf('\n') - 1 };
};
const r = (x: { start: { line: number; character: number }; end: { line: number; character: number } }) =>
  `${x.start.line + 1}:${x.start.character + 1}-${x.end.line + 1}:${x.end.character + 1}`;
const shown = (uri: string) => relative(process.cwd(), fileURLToPath(uri));

export const diagnosticLines = (ds: Diagnostic[]): string[] => ds.map((d) => [
  `${r(d.range)} ${['', 'error', 'warning', 'info', 'hint'][d.severity ?? 1]} ${d.code}: ${d.message}`,
  ...(d.relatedInformation ?? []).map((i) => `    related ${shown(i.location.uri)}:${r(i.location.range)}: ${i.message}`),
].join('\n'));

/** What the server answers for one case, as text. */
export async function answer(client: LspClient, name: string): Promise<string> {
  const dir = join(LSP_GOLDEN, name);
  const file = join(dir, existsSync(join(dir, 'input.yaml')) ? 'input.yaml' : 'input.cmp');
  const { text, at } = markers(readFileSync(file, 'utf8'));
  const uri = uriOf(file);
  const diagnostics = await client.open(file, text);
  const doc = { textDocument: { uri } };
  const out: string[] = [];
  const each = async (f: (position: { line: number; character: number }) => Promise<string>) => {
    for (const [n, offset] of [...at].sort((a, b) => Number(a[0]) - Number(b[0]))) out.push(`$${n}\n${await f(positionAt(text, offset))}`);
  };
  switch (name) {
    case 'completion': await each(async (position) => {
      const items = await client.request<CompletionItem[]>('textDocument/completion', { ...doc, position });
      return items.map((i) => `  ${i.label}${i.detail ? ` — ${i.detail.slice(0, 60)}` : ''}`).slice(0, 14).join('\n') + (items.length > 14 ? `\n  … ${items.length} in all` : '');
    }); break;
    case 'hover': await each(async (position) => {
      const h = await client.request<Hover | null>('textDocument/hover', { ...doc, position });
      return h ? `  ${r(h.range!)} ${(h.contents as { value: string }).value.split('\n')[0]}` : '  (none)';
    }); break;
    case 'definition': case 'use': await each(async (position) => {
      const ls = await client.request<Location[]>('textDocument/definition', { ...doc, position });
      return ls.map((l) => `  ${shown(l.uri)}:${r(l.range)}`).join('\n') || '  (none)';
    }); break;
    case 'symbols': {
      const ss = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', doc);
      out.push(...ss.map((s) => `${s.name} (${s.kind}) ${r(s.range)} ${s.detail}`));
      break;
    }
    case 'format': {
      const edits = await client.request<TextEdit[]>('textDocument/formatting', { ...doc, options: { tabSize: 4, insertSpaces: true } });
      out.push(...edits.map((e) => `${r(e.range)} ${JSON.stringify(e.newText)}`));
      break;
    }
    case 'code-actions': {
      const end = positionAt(text, text.length);
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { ...doc, range: { start: { line: 0, character: 0 }, end }, context: { diagnostics } });
      out.push(...actions.map((a) => `${a.title}: ${Object.values(a.edit!.changes!)[0]!.map((e) => `${r(e.range)} ${JSON.stringify(e.newText)}`).join(', ')} (fixes ${a.diagnostics?.length ?? 0} shown)`));
      break;
    }
    default: break;
  }
  return `diagnostics:\n${diagnosticLines(diagnostics).map((l) => `  ${l}`).join('\n')}\n${out.join('\n')}\n`;
}

export function compare(name: string, got: string): string | undefined {
  const path = join(LSP_GOLDEN, name, 'expected.txt');
  if (updating || !existsSync(path)) { writeFileSync(path, got); return undefined; }
  return readFileSync(path, 'utf8');
}
