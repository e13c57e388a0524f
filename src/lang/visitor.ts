// CST → AST. One method per grammar rule. Recovered parts of the tree (Chevrotain's error recovery) are
// lowered as far as they go and flagged, so later checks stay quiet about a statement that is already
// reported as a syntax error.
import type { CstNode, CstElement, IToken } from 'chevrotain';
import type { Literal, OptionNode, Recipe, Selector, Spanned, Statement, StepHead, StepNode, Verb } from './ast.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { rangeOfToken, spanRanges, type Range } from './range.ts';
import { MAX_NESTING } from './lexer.ts';
import { KEPT_DIAGNOSTICS } from './limits.ts';
import { passes } from '../passes/registry.ts';

type Children = CstNode['children'];

const isToken = (e: CstElement): e is IToken => (e as IToken).image !== undefined;
const tok = (c: Children, key: string, i = 0): IToken | undefined => {
  const e = c[key]?.[i];
  return e && isToken(e) && !e.isInsertedInRecovery ? e : undefined;
};
const node = (c: Children, key: string, i = 0): CstNode | undefined => {
  const e = c[key]?.[i];
  return e && !isToken(e) ? e : undefined;
};
const spanned = (t: IToken): Spanned => ({ value: t.image, range: rangeOfToken(t) });
const one = (c: Children, key: string): Spanned | undefined => { const t = tok(c, key); return t && spanned(t); };

/** `l1+bn` labelled `key`: the names, without tokens the parser invented while recovering. */
function names(c: Children, key: string): Spanned[] | undefined {
  const out: Spanned[] = [];
  for (const t of (c[key] ?? []) as IToken[]) if (real(t)) out.push(spanned(t));
  return out.length ? out : undefined;
}

const real = (t: IToken): boolean => !t.isInsertedInRecovery && !Number.isNaN(t.startOffset);

/** The first and last real token under a node (plain loops: this runs for every node of every recipe). */
function bounds(n: CstNode, b: { first?: IToken; last?: IToken }): void {
  for (const key in n.children) {
    for (const e of n.children[key]!) {
      if (!isToken(e)) { bounds(e, b); continue; }
      if (!real(e)) continue;
      if (!b.first || e.startOffset < b.first.startOffset) b.first = e;
      if (!b.last || e.startOffset > b.last.startOffset) b.last = e;
    }
  }
}

function rangeOf(n: CstNode): Range | undefined {
  const l = n.location;
  // Chevrotain tracks node locations as it parses; only nodes it built while recovering lack them.
  if (l && !Number.isNaN(l.startOffset) && !Number.isNaN(l.endOffset ?? Number.NaN)) {
    return {
      start: { line: l.startLine!, col: l.startColumn!, offset: l.startOffset },
      end: { line: l.endLine!, col: l.endColumn! + 1, offset: l.endOffset! + 1 },
    };
  }
  const b: { first?: IToken; last?: IToken } = {};
  bounds(n, b);
  return b.first && b.last ? spanRanges(rangeOfToken(b.first), rangeOfToken(b.last)) : undefined;
}


/** Where a child of the recipe starts (NaN for what recovery made up). */
function startOf(e: CstElement): number {
  if (isToken(e)) return e.startOffset;
  return e.location?.startOffset ?? firstToken(e)?.startOffset ?? Number.NaN;
}

function firstToken(n: CstNode): IToken | undefined {
  const b: { first?: IToken; last?: IToken } = {};
  bounds(n, b);
  return b.first;
}

function recovered(n: CstNode): boolean {
  if (n.recoveredNode) return true;
  for (const key in n.children) {
    for (const e of n.children[key]!) {
      if (isToken(e) ? e.isInsertedInRecovery : recovered(e)) return true;
    }
  }
  return false;
}

// Each pass's statement rule is `VERBStmt` (parser.ts builds them from the registry).
const VERBS: readonly Verb[] = passes.map((p) => p.name);
const VERB_OF_RULE: Record<string, Verb | undefined> = Object.fromEntries(VERBS.map((v) => [`${v}Stmt`, v]));
const KEYWORD_KEY = Object.fromEntries(VERBS.map((v) => [v, `K_${v}`])) as Record<Verb, string>;
const HEAD_KEYS = ['scope', 'criteria', 'from', 'losses', 'precision', 'block', 'format'] as const;

const UNESCAPE: Record<string, string> = { '"': '"', '\\': '\\', n: '\n' };

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];
  /** Problems past KEPT_DIAGNOSTICS, counted only (a string of a thousand bad escapes). */
  omitted = 0;

  /** `recovering`: the parser reported errors, so some nodes may be partial (when not, none is). */
  constructor(private readonly recovering = true) {}

  recipe(cst: CstNode): Recipe {
    // The recipe's children, statements and terminators, back in source order.
    const parts: CstElement[] = [];
    for (const key in cst.children) {
      for (const e of cst.children[key]!) if (!Number.isNaN(startOf(e))) parts.push(e);
    }
    parts.sort((a, b) => startOf(a) - startOf(b));
    const statements: Statement[] = [];
    let separated = true; // a terminator (or the start of the file) since the last statement
    for (const p of parts) {
      if (isToken(p)) { if (real(p)) separated = true; continue; }
      const n = p;
      if (n.name !== 'junk' && !separated) {
        const first = firstToken(n);
        if (first) this.report('CMP0003', `expected ';' or a newline before '${clip(first.image)}'`, rangeOfToken(first));
      }
      separated = false;
      const s = this.line(n);
      if (s) statements.push(s);
    }
    return { statements };
  }

  private line(inner: CstNode): Statement | undefined {
    if (inner.name === 'junk') {
      const r = rangeOf(inner);
      const first = firstToken(inner);
      if (r && first) this.report('CMP0003', `expected a statement, found '${clip(first.image)}'`, r);
      return undefined;
    }
    const range = rangeOf(inner);
    if (!range) return undefined;
    const built = this.statement(inner, range);
    if (built && this.recovering && recovered(inner)) built.recovered = true;
    return built;
  }

  private statement(n: CstNode, range: Range): Statement | undefined {
    const c = n.children;
    switch (n.name) {
      case 'modelStmt': return this.withSource(c, range, (source, zoo) => ({ kind: 'model', source, zoo, range }));
      case 'teacherStmt': {
        const name = tok(c, 'name');
        return this.withSource(c, range, (source, zoo) => ({ kind: 'teacher', source, zoo, name: name && spanned(name), range }));
      }
      case 'dataStmt': {
        const format = tok(c, 'format');
        const path = tok(c, 'path');
        return format && { kind: 'data', format: spanned(format), path: path && this.str(path), options: this.options(c), range };
      }
      case 'targetStmt': { const t = tok(c, 'name'); return t && { kind: 'target', name: spanned(t), range }; }
      case 'inputStmt': { const t = tok(c, 'Value'); return t && { kind: 'input', size: this.literal(t), range }; }
      case 'headStmt': { const t = tok(c, 'kind'); return t && { kind: 'head', head: spanned(t), options: this.options(c), range }; }
      case 'useStmt': {
        const path = tok(c, 'path');
        const lib = tok(c, 'name');
        return { kind: 'use', path: path && this.str(path), stdlib: lib && spanned(lib), range };
      }
      case 'scopeStmt': {
        const name = tok(c, 'name');
        const list = node(c, 'selectorList');
        const selector = list && this.selectorList(list);
        return name && selector && { kind: 'scope', name: spanned(name), selector, range };
      }
      case 'setStmt': {
        const key = tok(c, 'key');
        const v = tok(c, 'Value') ?? tok(c, 'Str') ?? tok(c, 'word');
        return key && v && { kind: 'set', key: spanned(key), value: this.literal(v), range };
      }
      case 'unknownStmt': { const t = tok(c, 'head'); return t && { kind: 'unknown', word: spanned(t), range }; }
      default: return this.step(n, range);
    }
  }

  private withSource(c: Children, range: Range, make: (s: Spanned, zoo: boolean) => Statement): Statement | undefined {
    const src = node(c, 'source');
    const t = src && (tok(src.children, 'Str') ?? tok(src.children, 'ZooRef'));
    if (!t) return undefined;
    const zoo = t.tokenType.name === 'ZooRef';
    return make(zoo ? { value: t.image.slice(4), range: rangeOfToken(t) } : this.str(t), zoo);
  }

  private step(n: CstNode, range: Range): StepNode | undefined {
    const c = n.children;
    const verb = VERB_OF_RULE[n.name];
    const verbTok = verb && c[KEYWORD_KEY[verb]]?.[0];
    if (!verb || !verbTok || !isToken(verbTok)) return undefined;
    const amountTok = tok(c, 'amount');
    const goal = tok(c, 'goal');
    const path = tok(c, 'path');
    // Only the roles this verb's grammar filled (assigned one by one: no `delete`, which slows objects down).
    const head: StepHead = {};
    if (c.scope) head.scope = one(c, 'scope');
    if (c.criteria) head.criteria = names(c, 'criteria');
    if (goal) head.goal = spanned(goal);
    if (amountTok) head.amount = this.literal(amountTok);
    if (c.from) head.from = one(c, 'from');
    if (c.losses) head.losses = names(c, 'losses');
    if (c.precision) head.precision = one(c, 'precision');
    if (c.block) head.block = one(c, 'block');
    if (c.format) head.format = one(c, 'format');
    if (path) head.path = this.str(path);
    if (this.recovering) for (const k of HEAD_KEYS) if (k in head && head[k] === undefined) delete head[k]; // recovered parts
    return { kind: 'step', verb: { value: verb, range: rangeOfToken(verbTok) }, head, options: this.options(c), range };
  }

  /** Options are `opt` name tokens, `arg` tokens and `keep` selector lists under the statement, in source
   * order: an option owns what lies between its name and the next option's. */
  private options(c: Children): OptionNode[] {
    const names = ((c.opt ?? []) as IToken[]).filter(real);
    const args = (c.arg ?? []) as IToken[];
    const keeps = (c.keep ?? []) as CstNode[];
    const out: OptionNode[] = [];
    let a = 0;
    let k = 0;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const limit = names[i + 1]?.startOffset ?? Infinity;
      let range = rangeOfToken(name);
      const option: OptionNode = { name: spanned(name), args: [], range };
      let list: Literal[] | undefined; // inside `[ ... ]`
      let open: IToken | undefined;
      for (; a < args.length && args[a]!.startOffset < limit; a++) {
        const t = args[a]!;
        if (!real(t) || t.startOffset < name.startOffset) continue;
        range = spanRanges(range, rangeOfToken(t));
        const kind = t.tokenType.name;
        if (kind === 'LBracket') { list = []; open = t; continue; }
        if (kind === 'RBracket' && list && open) { option.args.push(listLiteral(list, open, t)); list = undefined; continue; }
        if (kind === 'Comma') continue;
        if (list) list.push(this.literal(t));
        else option.args.push(this.literal(t));
      }
      for (; k < keeps.length && (rangeOf(keeps[k]!)?.start.offset ?? Infinity) < limit; k++) {
        const selector = this.selectorList(keeps[k]!);
        if (selector) { option.selector = selector; range = spanRanges(range, selector.range); }
      }
      option.range = range;
      out.push(option);
    }
    return out;
  }

  /** `A except B except C, D`: `except` binds tighter than `,` and applies left to right. */
  private selectorList(n: CstNode): Selector | undefined {
    const atoms = (n.children.selectorAtom ?? []) as CstNode[];
    const joins = ((n.children.join ?? []) as IToken[]).filter(real);
    const range = rangeOf(n);
    if (!range || atoms.length !== joins.length + 1) return undefined; // a recovered, partial list
    const items: Selector[] = [];
    let cur = this.atom(atoms[0]!);
    let excepts = 0;
    let ok = !!cur;
    for (let i = 0; i < joins.length; i++) {
      const next = this.atom(atoms[i + 1]!);
      if (!next || !cur) { ok = false; cur = next; continue; }
      if (joins[i]!.tokenType.name === 'Comma') {
        items.push(cur);
        cur = next;
        excepts = 0;
      } else if (++excepts > MAX_NESTING) {
        this.report('CMP0006', `more than ${MAX_NESTING} 'except' in one selector`, range);
        return undefined;
      } else {
        cur = { kind: 'except', base: cur, minus: next, range: spanRanges(cur.range, next.range) };
      }
    }
    if (!ok || !cur) return undefined;
    items.push(cur);
    return items.length === 1 ? items[0] : { kind: 'union', items, range };
  }

  private atom(n: CstNode): Selector | undefined {
    const c = n.children;
    const range = rangeOf(n);
    if (!range) return undefined;
    const glob = tok(c, 'glob');
    if (glob) return { kind: 'glob', pattern: this.str(glob).value, range };
    const op = tok(c, 'op');
    if (op) return { kind: 'op', name: spanned(op), range };
    const scope = tok(c, 'scope') ?? tok(c, 'name');
    if (scope) return { kind: 'scope', name: spanned(scope), range };
    const list = node(c, 'selectorList');
    return list && this.selectorList(list);
  }

  literal(t: IToken): Literal {
    const range = rangeOfToken(t);
    const text = t.image;
    switch (t.tokenType.name) {
      case 'NumberLit': return { kind: 'number', value: Number(text), text, range };
      case 'Percent': return { kind: 'percent', value: Number(text.slice(0, -1)) / 100, text, range };
      case 'Factor': return { kind: 'factor', value: Number(text.slice(0, -1)), text, range };
      case 'Millis': return { kind: 'millis', value: Number(text.slice(0, -2)), text, range };
      case 'Fraction': {
        const [num, den] = text.split('/').map(Number) as [number, number];
        if (den === 0) this.report('CMP2003', `the fraction ${text} divides by zero`, range);
        return { kind: 'fraction', value: den === 0 ? Number.NaN : num / den, text, range };
      }
      case 'Size': {
        const [w, h] = text.split('x').map(Number) as [number, number];
        return { kind: 'size', value: [w, h], text, range };
      }
      case 'StringLit': case 'UnterminatedString': return { kind: 'string', value: this.str(t).value, text, range };
      default: return { kind: 'word', value: text, text, range };
    }
  }

  /** A string token's value, reporting an unterminated string or an unknown escape. */
  str(t: IToken): Spanned {
    const range = rangeOfToken(t);
    const closed = t.tokenType.name === 'StringLit';
    if (!closed) this.report('CMP0002', 'unterminated string: add the closing \'"\'', range);
    const body = t.image.slice(1, closed ? -1 : undefined);
    const value = body.replace(/\\(.?)/g, (all, ch: string, at: number) => {
      if (ch in UNESCAPE) return UNESCAPE[ch]!;
      const col = range.start.col + 1 + at;
      const off = range.start.offset + 1 + at;
      this.report('CMP0004', `unknown escape '${all}' in a string (use \\" \\\\ or \\n)`, {
        start: { line: range.start.line, col, offset: off }, end: { line: range.start.line, col: col + all.length, offset: off + all.length },
      });
      return ch;
    });
    return { value, range };
  }

  private report(code: string, message: string, range: Range): void {
    if (this.diagnostics.length >= KEPT_DIAGNOSTICS) { this.omitted++; return; }
    this.diagnostics.push({ code, severity: 'error', message, range });
  }
}

/** `[1, 2, 3]` from its bracket tokens and the numbers between them. */
function listLiteral(items: Literal[], open: IToken, close: IToken): Literal {
  const range = spanRanges(rangeOfToken(open), rangeOfToken(close));
  const text = `[${items.map((i) => i.text).join(', ')}]`;
  return { kind: 'list', value: items.map((i) => (typeof i.value === 'number' ? i.value : Number.NaN)), items, text, range };
}

function clip(s: string): string {
  return s.length > 24 ? `${s.slice(0, 24)}…` : s;
}
