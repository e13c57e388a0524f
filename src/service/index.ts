// The language service: one checker and the editor features over it, for `lithe check`, the language server
// (src/lsp/) and the REPL alike. Plain data in and out; positions are offsets into the text, ranges are
// lang/range.ts's (lines and columns from 1). `file` names the document (relative paths resolve from the
// working folder); it need not exist (an unsaved buffer), but `use` and file completion resolve from its folder.
import { Workspace, type Analysis } from './analysis.ts';
import { complete as completeAt } from './completion.ts';
import { hover as hoverAt } from './hover.ts';
import { definition as definitionAt } from './definition.ts';
import { documentSymbols as symbolsOf } from './document-symbols.ts';
import { formatEdits } from './formatting.ts';
import { codeActions as actionsFor } from './code-actions.ts';
import { isYamlPath } from '../plan/sources.ts';
import type { CodeAction, CompletionItem, Diagnostic, DocumentSymbol, Hover, Location, Range, ServiceOptions, TextEdit } from './types.ts';

export { Workspace, type Analysis } from './analysis.ts';
export type * from './types.ts';

/** The workspace the functions below use unless given one: the file system, no open buffers. */
export const defaultWorkspace = new Workspace();

const DEFAULT_FILE = 'untitled.cmp';
// YAML recipes get diagnostics (the checker reads both forms); the word-level features are for .cmp.

/** The same diagnostics as `lithe check` (codes, ranges, severities), with `file` set on those in used files. */
export function diagnostics(file: string, text: string, opts: ServiceOptions = {}, ws = defaultWorkspace): Diagnostic[] {
  return ws.analyze(file, text, opts).result.diagnostics;
}

/** The whole analysis: the parse, the checker's result (its plan when there is no error), the files read. */
export function analyze(file: string, text: string, opts: ServiceOptions = {}, ws = defaultWorkspace): Analysis {
  return ws.analyze(file, text, opts);
}

/** What the word at `offset` is: the statement, and its role there (a head part, an option, an argument, ...). */
export { nodeAt } from './node-at.ts';

/** What may be typed at `offset`, filtered by the word being typed there (each item says what it replaces). */
export function complete(text: string, offset: number, file = DEFAULT_FILE, ws = defaultWorkspace): CompletionItem[] {
  return isYamlPath(file) ? [] : completeAt(ws, file, text, offset);
}

/** The docs of the word at `offset` (a pass, option, criterion, loss, block, target, scope, ...). */
export function hover(text: string, offset: number, file = DEFAULT_FILE, ws = defaultWorkspace): Hover | undefined {
  return isYamlPath(file) ? undefined : hoverAt(ws, file, text, offset);
}

/**
 * Hover, and for a scope the layers it matches in the recipe's model (when the recipe checks without errors
 * and its model can be read: a file, or a zoo model built at the recipe's size). Reads the model, so it is
 * asynchronous and loads the ONNX code only when first asked.
 */
export async function hoverWithModel(text: string, offset: number, file = DEFAULT_FILE, opts: ServiceOptions = {}, ws = defaultWorkspace): Promise<Hover | undefined> {
  const h = hover(text, offset, file, ws);
  if (!h?.scope && !h?.step) return h;
  const plan = ws.analyze(file, text, opts).result.plan;
  if (!plan) return h;
  if (h.step) {
    const { stepPrediction } = await import('./model-scopes.ts');
    const lines = stepPrediction(plan, offset);
    return lines ? { ...h, markdown: `${h.markdown}

${lines}` } : h;
  }
  if (!h.scope) return h;
  const { scopeInModel } = await import('./model-scopes.ts');
  const listing = scopeInModel(plan, h.scope);
  if (typeof listing === 'string') return { ...h, markdown: `${h.markdown}

(the model cannot be read: ${listing})` };
  if (!listing) return h;
  const model = plan.model?.zoo ? `zoo:${plan.model.zoo}` : plan.model?.path;
  const shown = listing.layers.slice(0, MAX_LAYERS_SHOWN).map((l) => `\`${l}\``).join(', ');
  const more = listing.layers.length > MAX_LAYERS_SHOWN ? `, … (${listing.layers.length - MAX_LAYERS_SHOWN} more)` : '';
  return { ...h, markdown: `${h.markdown}

In ${model}: ${listing.layers.length} layer${listing.layers.length === 1 ? '' : 's'} (${listing.nodes} nodes; ${listing.from})${shown ? `: ${shown}${more}` : ''}` };
}

const MAX_LAYERS_SHOWN = 16;

/** Where the scope, teacher or file named at `offset` is declared. */
export function definition(text: string, offset: number, file = DEFAULT_FILE, ws = defaultWorkspace): Location[] {
  return isYamlPath(file) ? [] : definitionAt(ws, file, text, offset);
}

/** The recipe's statements as an outline: declarations by name, steps by verb. */
export function documentSymbols(text: string, file = DEFAULT_FILE, ws = defaultWorkspace): DocumentSymbol[] {
  return isYamlPath(file) ? [] : symbolsOf(ws, file, text);
}

/** `lithe fmt` as edits (none when formatted); a text that does not parse gets its syntax errors instead. */
export function format(text: string): { edits: TextEdit[] } | { diagnostics: Diagnostic[] } {
  return formatEdits(text);
}

/** Quick fixes for the diagnostics that have one and touch `range` (did-you-mean, fp16 on tx2, round). */
export function codeActions(text: string, range: Range, file = DEFAULT_FILE, opts: ServiceOptions = {}, ws = defaultWorkspace): CodeAction[] {
  return actionsFor(ws.analyze(file, text, opts).result.diagnostics, range);
}
