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
  for (const tok of result.tokens) {
    const type = tok.tokenType;
    if (type === Newline) {
      newlines.push(tok);
      const prev = tokens[tokens.length - 1]?.tokenType;
      if (depth > 0 || prev === Comma || prev === Plus) continue;
    } else if (type === LParen) depth++;
    else if (type === RParen && depth > 0) depth--;
    tokens.push(tok);
  }
  return { tokens, comments: result.groups.comments ?? [], newlines, diagnostics };
}

function describeChars(s: string): string {
  if (s.length === 1) return `character ${JSON.stringify(s)}`;
  const shown = s.length > 20 ? `${s.slice(0, 20)}…` : s;
  return `characters ${JSON.stringify(shown)}`;
}

export { rangeOfToken };
