// `lithe fmt`: the canonical layout of a .cmp recipe. Works on the token stream, so every comment and every
// legal line break inside a statement (after `,` or `+`, inside parentheses or brackets) survives; everything
// else is normalised: one space between words, none around `+`, before `,` or inside `( )` and `[ ]`,
// statements that shared a line stay joined by "; ", redundant `;` dropped, at most one blank line, continuation lines indented by four, and
// runs of one-line declarations aligned (`model  "x"` / `target x86`; `set lr    0.01` / `set batch 8`;
// `scope a   = ...` / `scope abc = ...`). Idempotent by construction: the
// output's tokens are the input's, and the layout depends only on them.
import type { IToken } from 'chevrotain';
import { parse } from '../lang/parse.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { LIMITS, sizeDiagnostic } from '../lang/limits.ts';

export type FormatResult = { ok: true; text: string } | { ok: false; diagnostics: Diagnostic[] };

const ALIGNED = new Set(['data', 'head', 'input', 'model', 'set', 'target', 'teacher', 'use']);
const INDENT = '    ';

interface Line { head?: string; rest: string; statements: number; continued: boolean }

type Event = { kind: 'token' | 'semi' | 'newline' | 'soft' | 'comment'; tok: IToken };

export function format(text: string): FormatResult {
  const parsed = parse(text);
  const syntax = parsed.diagnostics.filter((d) => d.code.startsWith('CMP0'));
  if (syntax.length) return { ok: false, diagnostics: syntax };
  // A byte-order mark (the lexer reads it as a space) stays where it was: first.
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const kept = new Set(parsed.tokens.filter((t) => t.tokenType.name === 'Newline').map((t) => t.startOffset));
  const events: Event[] = [
    ...parsed.tokens.filter((t) => t.tokenType.name !== 'Newline').map((tok) => ({ kind: tok.tokenType.name === 'Semicolon' ? 'semi' : 'token', tok }) as Event),
    ...parsed.newlines.map((tok) => ({ kind: kept.has(tok.startOffset) ? 'newline' : 'soft', tok }) as Event),
    ...parsed.comments.map((tok) => ({ kind: 'comment', tok }) as Event),
  ].sort((a, b) => a.tok.startOffset - b.tok.startOffset);
  const out = bom + render(layout(events));
  // Formatting can lengthen a text (`a;b` → `a; b`): one that would pass the size limit is left as it is,
  // rather than written in a form lithe then refuses to read.
  const big = sizeDiagnostic(out);
  return big ? { ok: false, diagnostics: [{ ...big, message: `formatted, the file would be larger than ${LIMITS.fileBytes} bytes (1 MiB), the most lithe reads as a recipe` }] } : { ok: true, text: out };
}

function layout(events: Event[]): (Line | null)[] {
  const lines: (Line | null)[] = []; // null: a blank line
  let cur: Line | undefined;
  let prev: IToken | undefined; // previous token of the current statement
  let inStatement = false;
  let continued = false; // the next token starts a continuation line
  let newlines = 0;
  const flush = (): void => { if (cur) lines.push(cur); cur = undefined; };
  const open = (): Line => {
    if (newlines >= 2 && lines.length) lines.push(null);
    newlines = 0;
    return (cur ??= { rest: '', statements: 0, continued: false });
  };
  for (const ev of events) {
    const { tok } = ev;
    if (ev.kind === 'newline' || ev.kind === 'soft') {
      flush();
      newlines++;
      if (ev.kind === 'newline') inStatement = false; else continued = inStatement;
      continue;
    }
    if (ev.kind === 'semi') { inStatement = false; continue; }
    const line = open();
    if (ev.kind === 'comment') {
      line.rest += line.rest ? ` ${tok.image.trimEnd()}` : `${continued ? INDENT : ''}${tok.image.trimEnd()}`;
      continue;
    }
    if (!inStatement) {
      // A new statement: on a line of its own, or after "; " when it shared the line.
      if (line.rest) line.rest += '; ';
      else line.head = tok.image;
      line.statements++;
      line.rest += tok.image;
      inStatement = true;
      continued = false;
    } else if (continued) {
      line.rest += INDENT + tok.image;
      line.continued = true;
      continued = false;
    } else {
      line.rest += space(prev, tok) + tok.image;
    }
    prev = tok;
  }
  flush();
  return lines;
}

function space(prev: IToken | undefined, tok: IToken): string {
  const p = prev?.tokenType.name;
  const t = tok.tokenType.name;
  if (t === 'Comma' || t === 'RParen' || p === 'LParen' || t === 'Plus' || p === 'Plus' || t === 'RBracket' || p === 'LBracket') return '';
  return ' ';
}

/** Aligns consecutive one-line declarations (their values, then `set` keys and `scope` names), then joins. */
function render(lines: (Line | null)[]): string {
  const texts = lines.map((l) => (l ? l.rest : ''));
  alignRuns(lines, texts, (l) => alignable(l), (run) => run.reduce((w, x) => Math.max(w, x.head!.length), 0) + 1, (text, l, width) => {
    return l.head!.padEnd(width) + text.slice(l.head!.length).trimStart();
  });
  // Then the second column of runs of `set KEY VALUE` and of `scope NAME = ...` (Terraform aligns its `=`).
  for (const kw of ['set', 'scope']) {
    alignRuns(lines, texts, (l) => alignable(l, [kw]), (_run, all) => all.reduce((w, t) => Math.max(w, secondWord(t)[1].length), 0), (text, _l, width) => {
      const [lead, word, tail] = secondWord(text);
      return `${lead}${word.padEnd(width)} ${tail}`;
    });
  }
  while (texts.length && texts[texts.length - 1] === '' && lines[texts.length - 1] === null) texts.pop();
  return texts.length ? `${texts.join('\n')}\n` : '';
}

/**
 * Rewrites each run of two or more consecutive lines that `member` accepts, to the run's `width` (computed
 * once per run: a run may be thousands of lines long).
 */
function alignRuns(
  lines: (Line | null)[], texts: string[], member: (l: Line | null) => boolean,
  width: (run: Line[], runTexts: string[]) => number,
  rewrite: (text: string, line: Line, width: number) => string,
): void {
  for (let i = 0; i < lines.length;) {
    let j = i;
    while (j < lines.length && member(lines[j]!)) j++;
    if (j - i >= 2) {
      const w = width(lines.slice(i, j) as Line[], texts.slice(i, j));
      for (let k = i; k < j; k++) texts[k] = rewrite(texts[k]!, lines[k]!, w);
    }
    i = Math.max(j, i + 1);
  }
}

/** `set    lr 0.01` → ["set    ", "lr", "0.01"]. */
function secondWord(text: string): [string, string, string] {
  const m = /^(\S+\s+)(\S+) (.*)$/.exec(text);
  return m ? [m[1]!, m[2]!, m[3]!] : [text, '', ''];
}

const alignable = (l: Line | null | undefined, heads: Iterable<string> = ALIGNED): boolean =>
  !!l && l.statements === 1 && !l.continued && !!l.head && new Set(heads).has(l.head) && l.rest.startsWith(`${l.head} `);
