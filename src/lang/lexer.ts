// Text → tokens. Applies the newline rule of LANGUAGE.md: a newline ends a statement except inside
// parentheses or right after `,` or `+`; such newlines are dropped before the parser sees them.
import { Lexer, type IToken } from 'chevrotain';
import { allTokens, Comma, LParen, Newline, Plus, RParen } from './tokens.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { rangeOfToken } from './range.ts';

const lexer = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false });

export interface Lexed {
  tokens: IToken[];
  comments: IToken[];
  /** Every newline token, kept or dropped, so the formatter can see the author's line breaks. */
  newlines: IToken[];
  diagnostics: Diagnostic[];
}

export function lex(text: string): Lexed {
  const result = lexer.tokenize(text);
  const diagnostics: Diagnostic[] = result.errors.map((e) => ({
    code: 'CMP0001', severity: 'error',
    message: `unexpected ${describeChars(text.slice(e.offset, e.offset + e.length))}`,
    // Lexing errors never span a newline (newlines are tokens), so the end is on the same line.
    range: {
      start: { line: e.line ?? 1, col: e.column ?? 1, offset: e.offset },
      end: { line: e.line ?? 1, col: (e.column ?? 1) + e.length, offset: e.offset + e.length },
    },
  }));
  const newlines: IToken[] = [];
  const tokens: IToken[] = [];
  let depth = 0;
  let dropped = 0; // parentheses past MAX_NESTING, left out (with their partners) so the parser's recursion stays bounded
  for (const tok of result.tokens) {
    const type = tok.tokenType;
    if (type === Newline) {
      newlines.push(tok);
      const prev = tokens[tokens.length - 1]?.tokenType;
      if (depth > 0 || prev === Comma || prev === Plus) continue;
    } else if (type === LParen) {
      if (depth === MAX_NESTING) {
        if (!dropped++) diagnostics.push(tooDeep(tok));
        continue;
      }
      depth++;
    } else if (type === RParen) {
      if (dropped > 0) { dropped--; continue; }
      if (depth > 0) depth--;
    }
    tokens.push(tok);
  }
  return { tokens, comments: result.groups.comments ?? [], newlines, diagnostics };
}

/** Deeper than any real selector; beyond it, recursion (here and in every later stage) is not worth the risk. */
export const MAX_NESTING = 32;

function tooDeep(tok: IToken): Diagnostic {
  return { code: 'CMP0006', severity: 'error', message: `parentheses nested deeper than ${MAX_NESTING} levels`, range: rangeOfToken(tok) };
}

function describeChars(s: string): string {
  if (s.length === 1) return `character ${JSON.stringify(s)}`;
  const shown = s.length > 20 ? `${s.slice(0, 20)}…` : s;
  return `characters ${JSON.stringify(shown)}`;
}

