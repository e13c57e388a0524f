// The node at an offset: which statement the offset is in, and what each of its words is (the verb, a role
// of its head, an option, an option's argument, a part of a selector). Works on tokens, not on the AST, so it
// answers on text that does not parse yet (a statement being typed); the statement's grammar comes from the
// registries (vocabulary.ts), walked part by part.
import type { IToken } from 'chevrotain';
import { lex } from '../lang/lexer.ts';
import { rangeAt } from '../lang/range.ts';
import type { NodeInfo } from './types.ts';
import { statementByName, type OptionWord, type Part, type StatementDef } from './vocabulary.ts';

/** What one token of a statement is. */
export type Slot =
  | { kind: 'verb' }
  | { kind: 'word'; word: string }
  | { kind: 'role'; part: Part & { role: string } }
  | { kind: 'option'; option: OptionWord }
  | { kind: 'arg'; option: OptionWord; index: number }
  | { kind: 'selector'; what: 'keyword' | 'op' | 'scope' | 'glob' | 'punct' }
  | { kind: 'junk' };

/** What may come after the tokens walked so far. */
export interface Expect {
  /** The head part expected next, if any. */
  part?: Part;
  /** Option words may come (the head is complete, or what is left of it is optional). */
  options: boolean;
  /** The option whose arguments are being read, and how many it has so far. */
  option?: { option: OptionWord; args: number; last?: IToken };
  /** Inside a selector list: an atom, the word after `op` or `scope`, or what follows an atom. */
  selector?: 'atom' | 'op' | 'scope' | 'after';
  /** The list role (`l1+bn`) continues: a `+` was just read. */
  listed?: boolean;
  /** `use stdlib` was just read. */
  stdlib?: boolean;
}

export interface Walk { def?: StatementDef; slots: Slot[]; expect: Expect }

const name = (t: IToken): string => t.tokenType.name;
const isWord = (t: IToken | undefined): boolean => !!t && (name(t) === 'Word' || name(t).startsWith('K_'));
const isValue = (t: IToken | undefined): boolean => !!t && ['NumberLit', 'Percent', 'Factor', 'Millis', 'Fraction', 'Size'].includes(name(t));
export const isString = (t: IToken | undefined): boolean => !!t && (name(t) === 'StringLit' || name(t) === 'UnterminatedString');
const isTerminator = (t: IToken): boolean => name(t) === 'Semicolon' || name(t) === 'Newline';

/** How many tokens from `i` a role takes (0: the token does not fit it). */
function take(part: Part & { role: string }, toks: IToken[], i: number): number {
  const t = toks[i];
  if (!t) return 0;
  switch (part.role) {
    case 'amount': return isValue(t) ? 1 : isWord(t) && isValue(toks[i + 1]) ? 2 : isWord(t) && i === toks.length - 1 ? 1 : 0;
    case 'path': return isString(t) ? 1 : 0;
    case 'source': return isString(t) || name(t) === 'ZooRef' ? 1 : 0;
    case 'use': return isString(t) ? 1 : t.image === 'stdlib' ? (isWord(toks[i + 1]) ? 2 : 1) : 0;
    case 'size': case 'value': return 1;
    case 'selectors': return toks.length - i;
    default: {
      if (!isWord(t)) return 0;
      if (!('list' in part && part.list)) return 1;
      let n = 1;
      while (toks[i + n]?.image === '+' && isWord(toks[i + n + 1])) n += 2;
      return toks[i + n]?.image === '+' ? n + 1 : n;
    }
  }
}

/** The selector state after `t`, from the state before it. */
function selectorStep(state: Expect['selector'], t: IToken): { state: Expect['selector']; what: Extract<Slot, { kind: 'selector' }>['what'] } {
  if (state === 'op') return { state: 'after', what: 'op' };
  if (state === 'scope') return { state: 'after', what: 'scope' };
  if (t.image === 'op' && state === 'atom') return { state: 'op', what: 'keyword' };
  if (t.image === 'scope' && state === 'atom') return { state: 'scope', what: 'keyword' };
  if (t.image === 'except' || t.image === ',' || t.image === '(') return { state: 'atom', what: t.image === 'except' ? 'keyword' : 'punct' };
  if (t.image === ')') return { state: 'after', what: 'punct' };
  return { state: 'after', what: isString(t) ? 'glob' : 'scope' };
}

/** Walks one statement's tokens (the first is its word) against its grammar. */
export function walk(toks: IToken[]): Walk {
  const def = toks[0] ? statementByName.get(toks[0].image) : undefined;
  if (!def) return { slots: toks.map(() => ({ kind: 'junk' })), expect: { options: false } };
  const slots: Slot[] = [{ kind: 'verb' }];
  let i = 1;
  let p = 0;
  const expect: Expect = { options: false };
  for (; p < def.parts.length; p++) {
    const part = def.parts[p]!;
    if (i >= toks.length) break;
    if ('word' in part) {
      if (toks[i]!.image === part.word) { slots.push({ kind: 'word', word: part.word }); i++; continue; }
      if ('optional' in part) { p = def.parts.length; break; }
      break;
    }
    const n = take(part, toks, i);
    if (!n) { if (part.optional) continue; break; }
    if (part.role === 'selectors') {
      let state: Expect['selector'] = 'atom';
      for (; i < toks.length; i++) { const s = selectorStep(state, toks[i]!); state = s.state; slots.push({ kind: 'selector', what: s.what }); }
      return { def, slots, expect: { options: false, selector: state } };
    }
    for (let k = 0; k < n; k++) slots.push(toks[i + k]!.image === '+' ? { kind: 'word', word: '+' } : { kind: 'role', part });
    i += n;
    if (i < toks.length) continue;
    // The part is not finished when the text ends: `l1+`, `use stdlib`, `flops`.
    if (toks[i - 1]!.image === '+') return { def, slots, expect: { part, options: false, listed: true } };
    if (part.role === 'use' && toks[i - 1]!.image === 'stdlib') return { def, slots, expect: { options: false, stdlib: true } };
    if (part.role === 'amount' && isWord(toks[i - 1])) return { def, slots, expect: { options: false } };
  }
  if (i >= toks.length && p < def.parts.length) {
    expect.part = def.parts[p];
    // What is left of the head is optional: options may come too.
    expect.options = def.parts.slice(p).every((x) => 'optional' in x && x.optional);
    return { def, slots, expect };
  }
  return optionsPhase(def, toks, i, slots);
}

function optionsPhase(def: StatementDef, toks: IToken[], from: number, slots: Slot[]): Walk {
  const byName = new Map(def.options.map((o) => [o.name, o]));
  let current: Expect['option'];
  let selector: Expect['selector'];
  for (let i = from; i < toks.length; i++) {
    const t = toks[i]!;
    const o = isWord(t) && selector !== 'op' && selector !== 'scope' ? byName.get(t.image) : undefined;
    if (o) {
      slots.push({ kind: 'option', option: o });
      current = { option: o, args: 0 };
      selector = o.arg === 'selector' ? 'atom' : undefined;
      continue;
    }
    if (!current) { slots.push({ kind: 'junk' }); continue; }
    if (selector) {
      const s = selectorStep(selector, t);
      selector = s.state;
      slots.push({ kind: 'selector', what: s.what });
    } else {
      slots.push({ kind: 'arg', option: current.option, index: current.args });
    }
    current = { option: current.option, args: current.args + 1, last: t };
  }
  return { def, slots, expect: { options: true, option: current, selector } };
}

/** The statement around `offset`: its tokens (offsets in `text`), found by lexing only the lines it spans. */
export function statementAt(text: string, offset: number): IToken[] {
  const start = statementStart(text, offset);
  const end = statementEnd(text, offset);
  const lexed = lex(text.slice(start, end));
  const toks = lexed.tokens.map((t) => ({ ...t, startOffset: t.startOffset + start, endOffset: (t.endOffset ?? t.startOffset) + start }));
  // The statement is what lies between the terminators around the offset.
  let first = 0;
  let last = toks.length;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    if (!isTerminator(t)) continue;
    if (t.startOffset < offset) first = k + 1;
    else { last = k; break; }
  }
  return toks.slice(first, last);
}

/** Lines a statement may continue over: after `,` or `+`, or inside an open `(` or `[`. */
const CONTINUES = /[,+([]\s*(#.*)?$/;
const MAX_LINES = 200;

function statementStart(text: string, offset: number): number {
  let start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = statementEnd(text, offset);
  for (let n = 0; n < MAX_LINES && start > 0; n++) {
    const prev = text.lastIndexOf('\n', start - 2) + 1;
    // The line before continues into this one, or this part closes a bracket opened before it.
    if (!CONTINUES.test(text.slice(prev, start - 1)) && depth(text.slice(start, end)) >= 0) break;
    start = prev;
  }
  return start;
}

/** Opening minus closing brackets (outside comments; a string holding one may mislead it: then the window is wider). */
function depth(s: string): number {
  let d = 0;
  for (const line of s.split('\n')) for (const c of line.replace(/#.*$/, '')) d += c === '(' || c === '[' ? 1 : c === ')' || c === ']' ? -1 : 0;
  return d;
}

function statementEnd(text: string, offset: number): number {
  let end = text.indexOf('\n', offset);
  for (let n = 0; n < MAX_LINES && end !== -1; n++) {
    if (!CONTINUES.test(text.slice(text.lastIndexOf('\n', end - 1) + 1, end))) break;
    end = text.indexOf('\n', end + 1);
  }
  return end === -1 ? text.length : end;
}

/** The token at `offset` (its first character through just past its last). */
export function tokenAt(toks: IToken[], offset: number): number {
  return toks.findIndex((t) => t.startOffset <= offset && offset <= t.endOffset! + 1);
}

/** The word at `offset` and what it is in its statement, as plain data; undefined between words. */
export function nodeAt(text: string, offset: number): NodeInfo | undefined {
  const toks = statementAt(text, offset);
  const at = tokenAt(toks, offset);
  if (at === -1) return undefined;
  const w = walk(toks);
  const slot = w.slots[at]!;
  const tok = toks[at]!;
  const info: NodeInfo = { what: slot.kind, word: tok.image, range: rangeAt(text, tok.startOffset, tok.endOffset! + 1 - tok.startOffset) };
  if (w.def) info.statement = w.def.name;
  if (slot.kind === 'role') info.role = slot.part.role;
  if (slot.kind === 'option' || slot.kind === 'arg') info.option = slot.option.name;
  return info;
}
