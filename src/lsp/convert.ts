// The language service's plain data → LSP's types. Ranges: lines and columns from 1 → from 0 (columns are
// UTF-16 code units on both sides, as JavaScript strings count them).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind, CompletionItemKind, DiagnosticSeverity, MarkupKind, SymbolKind,
  type CodeAction as LspCodeAction, type CompletionItem as LspCompletionItem, type Diagnostic as LspDiagnostic,
  type DocumentSymbol as LspDocumentSymbol, type Hover as LspHover, type Location as LspLocation, type Range as LspRange,
} from 'vscode-languageserver/node.js';
import type { CodeAction, CompletionItem, Diagnostic, DocumentSymbol, Hover, ItemKind, Location, Range, SymbolKind as Kind } from '../service/index.ts';
import { stdlibDir } from '../plan/sources.ts';

export const toRange = (r: Range): LspRange => ({
  start: { line: r.start.line - 1, character: r.start.col - 1 },
  end: { line: r.end.line - 1, character: r.end.col - 1 },
});

export const uriOf = (file: string): string => pathToFileURL(file).href;

/** A diagnostic's `file` as the checker shows it (relative to the working folder, or `stdlib/NAME.cmp`) → absolute. */
export const shownToPath = (shown: string): string => (shown.startsWith('stdlib/') ? resolve(stdlibDir(), shown.slice('stdlib/'.length)) : resolve(shown));

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/**
 * A diagnostic of the document; one in a used file (`d.file`) is shown on the `use` statement that brings
 * it in (`at`), pointing at its place with related information.
 */
export function toDiagnostic(d: Diagnostic, uri: string, at?: Range): LspDiagnostic {
  const related = (d.related ?? []).map((r) => ({ location: { uri: r.file ? uriOf(shownToPath(r.file)) : uri, range: toRange(r.range) }, message: r.message }));
  const base: LspDiagnostic = { range: toRange(d.range), severity: SEVERITY[d.severity], code: d.code, source: 'lithe', message: d.message };
  if (!d.file) return related.length ? { ...base, relatedInformation: related } : base;
  const place = { location: { uri: uriOf(shownToPath(d.file)), range: toRange(d.range) }, message: d.message };
  return { ...base, range: toRange(at ?? d.range), message: `${d.file}:${d.range.start.line}:${d.range.start.col}: ${d.message}`, relatedInformation: [place, ...related] };
}

const ITEM_KIND: Record<ItemKind, CompletionItemKind> = {
  statement: CompletionItemKind.Keyword, pass: CompletionItemKind.Function, keyword: CompletionItemKind.Keyword,
  option: CompletionItemKind.Property, criterion: CompletionItemKind.EnumMember, loss: CompletionItemKind.EnumMember,
  block: CompletionItemKind.EnumMember, precision: CompletionItemKind.EnumMember, method: CompletionItemKind.EnumMember,
  format: CompletionItemKind.EnumMember, target: CompletionItemKind.Module, scope: CompletionItemKind.Variable,
  teacher: CompletionItemKind.Variable, 'data-format': CompletionItemKind.EnumMember, 'head-kind': CompletionItemKind.EnumMember,
  'set-key': CompletionItemKind.Property, stdlib: CompletionItemKind.Module, zoo: CompletionItemKind.Module,
  value: CompletionItemKind.Value, file: CompletionItemKind.File, folder: CompletionItemKind.Folder,
};

export function toCompletion(i: CompletionItem): LspCompletionItem {
  const text = i.insertText ?? i.label;
  return {
    label: i.label, kind: ITEM_KIND[i.kind],
    ...(i.detail ? { detail: i.detail } : {}),
    ...(i.documentation ? { documentation: { kind: MarkupKind.Markdown, value: i.documentation } } : {}),
    ...(i.range ? { textEdit: { range: toRange(i.range), newText: text } } : i.insertText ? { insertText: text } : {}),
    // A folder: completion goes on inside it.
    ...(i.kind === 'folder' ? { command: { title: 'more', command: 'editor.action.triggerSuggest' } } : {}),
  };
}

export const toHover = (h: Hover): LspHover => ({ contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: toRange(h.range) });

export const toLocation = (l: Location): LspLocation => ({ uri: uriOf(l.file), range: toRange(l.range) });

const SYMBOL_KIND: Record<Kind, SymbolKind> = {
  model: SymbolKind.File, teacher: SymbolKind.Object, data: SymbolKind.Package, target: SymbolKind.Module, input: SymbolKind.Property,
  head: SymbolKind.Interface, use: SymbolKind.Namespace, scope: SymbolKind.Variable, set: SymbolKind.Constant, step: SymbolKind.Function,
};

export const toSymbol = (s: DocumentSymbol): LspDocumentSymbol => ({
  name: s.name, detail: s.detail, kind: SYMBOL_KIND[s.kind], range: toRange(s.range), selectionRange: toRange(s.selectionRange),
});

export function toCodeAction(a: CodeAction, uri: string, diagnostics: LspDiagnostic[]): LspCodeAction {
  const start = toRange(a.diagnosticRange).start;
  const matching = diagnostics.filter((d) => d.code === a.code && d.range.start.line === start.line && d.range.start.character === start.character);
  return {
    title: a.title, kind: CodeActionKind.QuickFix, isPreferred: a.preferred, diagnostics: matching,
    edit: { changes: { [uri]: [{ range: toRange(a.edit.range), newText: a.edit.text }] } },
  };
}
