// The language's entry point: text → AST + syntax diagnostics. Never throws: any input, however broken,
// comes back as diagnostics. One parser instance is built once and reused.
import type { IToken } from 'chevrotain';
import { lex } from './lexer.ts';
import { RecipeParser, type Vocabulary } from './parser.ts';
import { AstBuilder } from './visitor.ts';
import type { Recipe } from './ast.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { passes } from '../passes/registry.ts';
import { DATA_OPTIONS, HEAD_OPTIONS } from '../plan/declarations-meta.ts';
import { rangeOfToken } from './range.ts';
import { isPinned, KEPT_DIAGNOSTICS, sizeDiagnostic } from './limits.ts';

export interface Parsed {
  recipe: Recipe;
  diagnostics: Diagnostic[];
  tokens: IToken[];
  comments: IToken[];
  newlines: IToken[];
  /** Problems found but not kept (past KEPT_DIAGNOSTICS): counted for "N more problems". */
  omitted: number;
}

export const vocabulary: Vocabulary = {
  options: {
    ...Object.fromEntries(passes.map((p) => [p.name, new Set(p.options.map((o) => o.name))])),
    data: new Set(DATA_OPTIONS.map((o) => o.name)),
    head: new Set(HEAD_OPTIONS.map((o) => o.name)),
  },
  selectorOptions: Object.fromEntries(passes.map((p) => [p.name, new Set(p.options.filter((o) => o.arg === 'selector').map((o) => o.name))])),
};

let parser: RecipeParser | undefined;
export const getParser = (): RecipeParser => (parser ??= new RecipeParser(vocabulary));

export function parse(text: string): Parsed {
  // Too large a text is not lexed at all: time and memory stay bounded, and no regular expression runs long.
  const big = sizeDiagnostic(text);
  if (big) return { recipe: { statements: [] }, diagnostics: [big], tokens: [], comments: [], newlines: [], omitted: 0 };
  const lexed = lex(text);
  const p = getParser();
  p.input = lexed.tokens;
  const cst = p.recipe();
  const builder = new AstBuilder(p.errors.length > 0);
  const recipe = builder.recipe(cst);
  const syntax: Diagnostic[] = p.errors.slice(0, KEPT_DIAGNOSTICS).map((e) => ({
    code: 'CMP0003', severity: 'error', message: e.message, range: rangeOfToken(errorToken(e.token, (e as { previousToken?: IToken }).previousToken, text)),
  }));
  // After a statement fails, recovery may read its remaining words as a new statement: that one is part of
  // the error already reported at the same spot, so nothing more is said about it.
  const errorAt = new Set(syntax.map((d) => d.range.start.offset));
  for (const st of recipe.statements) if (errorAt.has(st.range.start.offset)) st.recovered = true;
  // Recovery can report the same spot twice (the statement's error, then the rest of it as junk): one is enough.
  const seen = new Set<number>();
  const all = [...lexed.diagnostics, ...syntax, ...builder.diagnostics]
    .sort((a, b) => a.range.start.offset - b.range.start.offset)
    .filter((d) => d.code !== 'CMP0003' || (!seen.has(d.range.start.offset) && !!seen.add(d.range.start.offset)));
  const diagnostics = all.length > KEPT_DIAGNOSTICS ? [...all.slice(0, KEPT_DIAGNOSTICS), ...all.slice(KEPT_DIAGNOSTICS).filter(isPinned)] : all;
  const omitted = lexed.omitted + Math.max(0, p.errors.length - KEPT_DIAGNOSTICS) + builder.omitted + Math.max(0, all.length - diagnostics.length);
  return { recipe, diagnostics, tokens: lexed.tokens, comments: lexed.comments, newlines: lexed.newlines, omitted };
}

/** At the end of input Chevrotain reports the EOF token, which has no position: point after the last token. */
function errorToken(t: IToken, previous: IToken | undefined, text: string): IToken {
  if (!Number.isNaN(t.startOffset) && t.tokenType.name !== 'EOF') return t;
  if (previous && !Number.isNaN(previous.startOffset)) {
    const end = (previous.endOffset ?? previous.startOffset) + 1;
    const col = (previous.endColumn ?? 0) + 1;
    // Zero width (end offset one before the start, as Chevrotain's inclusive ends have it): a caret just
    // after the last token, never past the end of the text.
    return { ...previous, image: '', startOffset: end, endOffset: end - 1, startColumn: col, endColumn: col - 1, startLine: previous.endLine, endLine: previous.endLine };
  }
  const lines = text.split('\n');
  const line = lines.length;
  const col = lines[line - 1]!.length + 1;
  return { ...t, image: '', startOffset: text.length, endOffset: text.length - 1, startLine: line, endLine: line, startColumn: col, endColumn: col - 1 };
}
