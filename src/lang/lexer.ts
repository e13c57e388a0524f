// Text → tokens. Applies the newline rule of LANGUAGE.md: a newline ends a statement except inside
// parentheses or brackets, or right after `,` or `+`; such newlines are dropped before the parser sees them. Applies the
// limits (src/lang/limits.ts) the parser's recursion and the checker's memory depend on: nesting, statements
// per file, characters per token; the text's size is checked before it gets here (parse.ts).
import { Lexer, type IToken } from 'chevrotain';
import { allTokens, Comma, LBracket, LParen, Newline, Plus, RBracket, RParen, Semicolon } from './tokens.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { rangeOfToken } from './range.ts';
import { KEPT_DIAGNOSTICS, LIMITS, statementsDiagnostic, tokenDiagnostic } from './limits.ts';
import { SKIP_VALIDATIONS } from './validation.ts';

const lexer = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false, skipValidations: SKIP_VALIDATIONS });

export interface Lexed {
  tokens: IToken[];
  comments: IToken[];
  /** Every newline token, kept or dropped, so the formatter can see the author's line breaks. */
  newlines: IToken[];
  diagnostics: Diagnostic[];
  /** Problems found but not kept (past KEPT_DIAGNOSTICS): counted for "N more problems". */
  omitted: number;
}

export function lex(text: string): Lexed {
  // A byte-order mark (files saved by some Windows editors) reads as a space: offsets stay those of the text.
  let result: ReturnType<typeof lexer.tokenize>;
  try {
    result = lexer.tokenize(text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text);
  } catch (e) {
    // The string patterns backtrack once per character. A recipe is at most 1 MiB (checked before), which
    // they match with room to spare (4 MiB was tried); should a longer text reach here, it is a diagnostic.
    if (!(e instanceof RangeError)) throw e;
    const d = tokenDiagnostic('a token', text.length, { start: { line: 1, col: 1, offset: 0 }, end: { line: 1, col: 1, offset: 0 } });
    return { tokens: [], comments: [], newlines: [], diagnostics: [{ ...d, message: `the text could not be read: ${d.message}` }], omitted: 0 };
  }
  let omitted = Math.max(0, result.errors.length - KEPT_DIAGNOSTICS);
  const diagnostics: Diagnostic[] = result.errors.slice(0, KEPT_DIAGNOSTICS).map((e) => ({
    code: 'CMP0001', severity: 'error',
    message: `unexpected ${describeChars(text.slice(e.offset, e.offset + Math.min(e.length, 21)), e.length)}`,
    // Lexing errors never span a newline (newlines are tokens), so the end is on the same line.
    range: {
      start: { line: e.line ?? 1, col: e.column ?? 1, offset: e.offset },
      end: { line: e.line ?? 1, col: (e.column ?? 1) + e.length, offset: e.offset + e.length },
    },
  }));
  const report = (d: Diagnostic): void => { if (diagnostics.length < KEPT_DIAGNOSTICS) diagnostics.push(d); else omitted++; };
  const newlines: IToken[] = [];
  const tokens: IToken[] = [];
  let depth = 0;
  let bracket = false; // inside `[ ... ]` (lists do not nest: one flag is enough)
  let dropped = 0; // parentheses past the nesting limit, left out (with their partners) so the parser's recursion stays bounded
  let statements = 0;
  let inStatement = false;
  for (const tok of result.tokens) {
    const type = tok.tokenType;
    if (type === Newline) {
      newlines.push(tok);
      const prev = tokens[tokens.length - 1]?.tokenType;
      if (depth > 0 || bracket || prev === Comma || prev === Plus) continue;
      inStatement = false;
    } else if (type === Semicolon) {
      inStatement = false;
    } else {
      if (!inStatement && ++statements > LIMITS.statements) {
        diagnostics.push(statementsDiagnostic(rangeOfToken(tok))); // past the cap too: see isPinned
        break;
      }
      inStatement = true;
      if (tok.image.length > LIMITS.tokenChars) { const d = tooLong(tok); if (d) report(d); }
      if (type === LBracket || type === RBracket) bracket = type === LBracket;
      if (type === LParen) {
        if (depth === LIMITS.nesting) {
          if (!dropped++) report(tooDeep(tok));
          continue;
        }
        depth++;
      } else if (type === RParen) {
        if (dropped > 0) { dropped--; continue; }
        if (depth > 0) depth--;
      }
    }
    tokens.push(tok);
  }
  return { tokens, comments: result.groups.comments ?? [], newlines, diagnostics, omitted };
}

/** Deeper than any real selector; beyond it, recursion (here and in every later stage) is not worth the risk. */
export const MAX_NESTING = LIMITS.nesting;

function tooDeep(tok: IToken): Diagnostic {
  return { code: 'CMP0006', severity: 'error', message: `parentheses nested deeper than ${MAX_NESTING} levels`, range: rangeOfToken(tok) };
}

/**
 * CMP0009, and the token cut short: later stages quote it in messages and compare it with known words, which
 * need not see more than its start (the text is refused anyway). A string keeps its quotes.
 */
function tooLong(tok: IToken): Diagnostic | undefined {
  const name = tok.tokenType.name;
  const string = name === 'StringLit' || name === 'UnterminatedString';
  // A string's length is its text's, without the quotes.
  const length = string ? tok.image.length - (name === 'StringLit' ? 2 : 1) : tok.image.length;
  if (length <= LIMITS.tokenChars) return undefined;
  const d = tokenDiagnostic(string ? 'a string' : /^[A-Za-z_]/.test(tok.image) ? 'a word' : 'a number', length, rangeOfToken(tok));
  if (string) {
    const body = tok.image.slice(1, 65).replace(/\\+$/, '');
    tok.image = name === 'StringLit' ? `"${body}"` : `"${body}`;
  } else {
    tok.image = tok.image.slice(0, 64);
  }
  return d;
}

function describeChars(s: string, length = s.length): string {
  if (length === 1) return `character ${JSON.stringify(s)}`;
  const shown = length > 20 ? `${s.slice(0, 20)}…` : s;
  return `characters ${JSON.stringify(shown)}`;
}
