// Source positions. Lines and columns count from 1 (as LANGUAGE.md prints them); offsets from 0; a range's
// end is exclusive.
import type { IToken } from 'chevrotain';

export interface Pos { line: number; col: number; offset: number }
export interface Range { start: Pos; end: Pos }

export function rangeOfToken(t: IToken): Range {
  const start = { line: t.startLine ?? 1, col: t.startColumn ?? 1, offset: t.startOffset };
  const endOffset = (t.endOffset ?? t.startOffset) + 1;
  // Tokens never span lines except Newline, whose end we place at the start of the next line.
  const end = { line: t.endLine ?? start.line, col: (t.endColumn ?? start.col) + 1, offset: endOffset };
  return { start, end };
}

export function spanRanges(a: Range, b: Range): Range {
  return { start: a.start, end: b.end };
}

/** The range of `length` characters at `offset` in `text`, computing line and column. */
export function rangeAt(text: string, offset: number, length: number): Range {
  return { start: posAt(text, offset), end: posAt(text, offset + length) };
}

export function posAt(text: string, offset: number): Pos {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1, offset };
}

export const NO_RANGE: Range = { start: { line: 1, col: 1, offset: 0 }, end: { line: 1, col: 1, offset: 0 } };
