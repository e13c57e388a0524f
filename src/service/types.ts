// The language service's answers: plain data, no editor types. The language server maps them to LSP
// (src/lsp/), the REPL prints them, `lithe check` renders the diagnostics.
import type { Range } from '../lang/range.ts';

export type { Range } from '../lang/range.ts';
export type { Diagnostic } from '../diagnostics/diagnostic.ts';

/** What a completion item is: the server maps it to an editor icon. */
export type ItemKind =
  | 'statement' | 'pass' | 'keyword' | 'option' | 'criterion' | 'loss' | 'block' | 'precision' | 'method' | 'format'
  | 'target' | 'scope' | 'teacher' | 'data-format' | 'head-kind' | 'set-key' | 'stdlib' | 'zoo' | 'value' | 'file' | 'folder';

export interface CompletionItem {
  label: string;
  kind: ItemKind;
  /** One line: the item's summary. */
  detail?: string;
  /** Markdown, longer (a pass's docs). */
  documentation?: string;
  /** The text inserted when it differs from the label (a folder's `name/`). */
  insertText?: string;
  /** The text the item replaces (the word being typed); absent: insert at the offset. */
  range?: Range;
}

/** `scope`: the scope hovered, when it is one (hoverWithModel adds what it holds in the model). */
/** `scope`: the scope named under the cursor; `step`: the cursor is on a step's verb (the model tells more). */
export interface Hover { markdown: string; range: Range; scope?: string; step?: boolean }

/** A place in a file: `file` is an absolute path. */
export interface Location { file: string; range: Range }

export type SymbolKind = 'model' | 'teacher' | 'data' | 'target' | 'input' | 'head' | 'use' | 'scope' | 'set' | 'step';

export interface DocumentSymbol {
  name: string;
  kind: SymbolKind;
  /** One line: what the statement says (`l1 0.5`, the selector). */
  detail: string;
  /** The whole statement. */
  range: Range;
  /** The name (or the verb of a step). */
  selectionRange: Range;
}

export interface TextEdit { range: Range; text: string }

/** A quick fix: replacing the range of one diagnostic. */
export interface CodeAction { title: string; code: string; diagnosticRange: Range; edit: TextEdit; preferred: boolean }

/** What the checker is told besides the text (the `lithe check` flags). */
export interface ServiceOptions { target?: string; model?: string; data?: string }

/** What the word at an offset is, in its statement (node-at.ts, as plain data). */
export interface NodeInfo {
  /** The statement's first word (`prune`, `scope`, ...); absent when it is not a statement word. */
  statement?: string;
  /** `verb` (the statement's word), `word` (a fixed word: `from`, `=`), `role` (a head part: `role` says which),
   *  `option` (an option word), `arg` (an option's argument: `option` says whose), `selector` (a part of a selector), `junk`. */
  what: 'verb' | 'word' | 'role' | 'option' | 'arg' | 'selector' | 'junk';
  role?: string;
  option?: string;
  word: string;
  range: Range;
}
