// YAML recipes → the same statements the .cmp parser gives, with source ranges from the YAML nodes, so
// both lower through one pipeline to one plan. Steps arrive as parameter maps (`prune: {scope: backbone,
// criterion: entropy, amount: 0.7}`), the plan's own shape; selectors are structured: a string is a glob,
// a list a union, `{op: Conv}`, `{scope: head}`, `{select: A, except: B}`.
import type { CST, Document, LineCounter, Node, Pair } from 'yaml';
import type * as Yaml from 'yaml';
import { yaml } from './lib.ts';
import type { Literal, OptionNode, Selector, Spanned, Statement } from '../lang/ast.ts';
import { rangeAt, type Range } from '../lang/range.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { lex } from '../lang/lexer.ts';
import { KEPT_DIAGNOSTICS, LIMITS, sizeDiagnostic, statementsDiagnostic, tokenDiagnostic } from '../lang/limits.ts';
import { AstBuilder } from '../lang/visitor.ts';
import { passByName } from '../passes/registry.ts';
import type { StepDraft } from '../passes/types.ts';
import { emptyDraft } from '../passes/draft.ts';
import { selectorJson } from '../plan/selector.ts';
import { unknownMessage } from '../plan/suggest.ts';

const isMap = ((n: unknown) => yaml().isMap(n)) as typeof Yaml.isMap;
const isScalar = ((n: unknown) => yaml().isScalar(n)) as typeof Yaml.isScalar;
const isSeq = ((n: unknown) => yaml().isSeq(n)) as typeof Yaml.isSeq;

export interface YamlStatement { kind: 'yaml-step'; draft: StepDraft; range: Range; recovered?: boolean }

const TOP_KEYS = ['data', 'head', 'input', 'model', 'scopes', 'set', 'steps', 'target', 'teacher', 'teachers', 'use'];

/** No recipe nests deeper; the yaml library's composer recurses once per level. */
export const MAX_YAML_DEPTH = LIMITS.nesting;

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);

/**
 * The YAML's syntax tree, or the offset where collections first nest deeper than the limit. The yaml
 * library's lexer and parser keep explicit stacks (no recursion), so they are driven here one lexeme at a
 * time, watching the parser's stack: the depth of flow brackets, `- - -`, `? ? ?` keys or indentation is
 * found exactly (quotes and comments as YAML reads them), and the tree is never built past the limit. Only
 * then does the composer, which recurses, see it.
 */
function syntaxTree(text: string, lc: LineCounter): { tokens: CST.Token[] } | { deep: number } {
  const parser = new (yaml().Parser)(lc.addNewLine);
  const tokens: CST.Token[] = [];
  lc.addNewLine(0);
  for (const lexeme of new (yaml().Lexer)().lex(text)) {
    for (const t of parser.next(lexeme)) tokens.push(t);
    if (parser.stack.length > MAX_YAML_DEPTH && parser.stack.filter((t) => COLLECTIONS.has(t.type)).length > MAX_YAML_DEPTH) {
      return { deep: Math.min(parser.offset, Math.max(0, text.length - 1)) };
    }
  }
  for (const t of parser.end()) tokens.push(t);
  return { tokens };
}

/**
 * The one document of the text (as the yaml library's parseDocument makes it), from its syntax tree. The
 * library's own check of unique keys compares each key with every earlier one (quadratic: minutes for a
 * megabyte of keys); `uniqueKeys` below does it with a set per mapping.
 */
function compose(tokens: CST.Token[], length: number): Document.Parsed {
  let doc: Document.Parsed | undefined;
  // The composer reports each problem as an Error, whose stack trace (never shown) costs most of the time on
  // broken input: a megabyte of it holds hundreds of thousands of problems. No traces while composing.
  const traces = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (const d of new (yaml().Composer)({ uniqueKeys: false, prettyErrors: false }).compose(tokens, true, length)) {
      if (!doc) { doc = d; continue; }
      doc.errors.push(new (yaml().YAMLParseError)([d.range[0], d.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; a recipe is one'));
      break;
    }
    uniqueKeys(doc!);
  } finally {
    Error.stackTraceLimit = traces;
  }
  return doc!;
}

/** "Map keys must be unique", for every mapping of the document: scalar keys equal in value (as yaml's check). */
function uniqueKeys(doc: Document.Parsed): void {
  const todo: unknown[] = [doc.contents];
  while (todo.length) {
    const n = todo.pop();
    if (isSeq(n)) { for (const x of n.items) todo.push(x); continue; } // no push(...items): a list may hold 500,000
    if (!isMap(n)) continue;
    const seen = new Set<unknown>();
    for (const p of n.items) {
      const k = p.key;
      if (isScalar(k) && !Number.isNaN(k.value)) {
        if (seen.has(k.value)) doc.errors.push(new (yaml().YAMLParseError)([k.range![0], k.range![0] + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
        else seen.add(k.value);
      }
      todo.push(k, p.value);
    }
  }
}

export function readYaml(text: string): { recipe: { statements: (Statement | YamlStatement)[] }; diagnostics: Diagnostic[]; omitted: number } {
  return new YamlReader(text).read();
}

class YamlReader {
  private readonly lc = new (yaml().LineCounter)();
  private readonly diagnostics: Diagnostic[] = [];
  private readonly out: (Statement | YamlStatement)[] = [];
  /** Problems past KEPT_DIAGNOSTICS, counted only. */
  private omitted = 0;
  /** The statement limit is reached: nothing more is read. */
  private full = false;

  constructor(private readonly text: string) {}

  read() {
    const done = () => ({ recipe: { statements: this.out }, diagnostics: this.diagnostics, omitted: this.omitted });
    const big = sizeDiagnostic(this.text);
    if (big) { this.diagnostics.push(big); return done(); }
    const tree = syntaxTree(this.text, this.lc);
    if ('deep' in tree) {
      this.err('CMP0006', `YAML nested deeper than ${MAX_YAML_DEPTH} levels`, rangeAt(this.text, tree.deep, 1));
      return done();
    }
    const doc = compose(tree.tokens, this.text.length);
    for (const e of doc.errors) this.err('CMP0003', e.message.split('\n')[0]!, this.span(e.pos[0], e.pos[1]));
    const root = doc.contents;
    if (!doc.errors.length && root !== null && !isMap(root)) this.err('CMP0003', 'a YAML recipe is a mapping (model:, data:, steps:, ...)', this.range(root as Node));
    if (!doc.errors.length && isMap(root)) {
      for (const pair of root.items) this.top(pair as Pair<Node, Node>);
    }
    return done();
  }

  /** Adds a statement, until the file's limit (then one CMP0008, and the rest is not read). */
  private add(s: Statement | YamlStatement): void {
    if (this.full) return;
    if (this.out.length >= LIMITS.statements) {
      this.full = true;
      this.diagnostics.push(statementsDiagnostic(s.range));
      return;
    }
    this.out.push(s);
  }

  // ── positions ──
  private pos(at: number) {
    const offset = Math.max(0, Math.min(at, this.text.length));
    const { line, col } = this.lc.linePos(offset);
    return { line, col, offset };
  }
  private span(a: number, b: number): Range { return { start: this.pos(a), end: this.pos(Math.max(a, b)) }; }
  private range(n: Node | null | undefined): Range {
    const r = n?.range;
    return r ? this.span(r[0], r[1]) : this.span(0, 0);
  }
  private err(code: string, message: string, range: Range, fix?: string): void {
    const d: Diagnostic = { code, severity: 'error', message, range };
    if (fix) d.fix = { range, text: fix };
    this.report(d);
  }
  /** No room for more problems: count one instead of composing its message ("did you mean" costs). */
  private saturated(): boolean {
    if (this.diagnostics.length < KEPT_DIAGNOSTICS) return false;
    this.omitted++;
    return true;
  }
  private report(d: Diagnostic): void {
    if (this.diagnostics.length >= KEPT_DIAGNOSTICS) this.omitted++;
    else this.diagnostics.push(d);
  }

  /** CMP0009 for a string scalar longer than a .cmp string may be; true when it is. */
  private tooLong(n: Node | null): boolean {
    if (!isScalar(n) || typeof n.value !== 'string' || n.value.length <= LIMITS.tokenChars) return false;
    this.report(tokenDiagnostic('a string', n.value.length, this.range(n)));
    return true;
  }

  // ── scalars ──
  private str(n: Node | null, what: string): Spanned | undefined {
    if (this.tooLong(n)) return undefined;
    if (isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number')) return { value: String(n.value), range: this.range(n) };
    this.err('CMP1008', `${what} expects a string`, this.range(n));
    return undefined;
  }

  /** A scalar as a .cmp literal: numbers stay numbers; "70%", "1/16", "3x", "416x416" read as in .cmp. */
  private literal(n: Node | null): Literal | undefined {
    const range = this.range(n);
    if (!isScalar(n)) { this.err('CMP1008', 'expected a single value', range); return undefined; }
    if (this.tooLong(n)) return undefined;
    if (typeof n.value === 'number') return { kind: 'number', value: n.value, text: String(n.value), range };
    if (typeof n.value !== 'string') return { kind: 'word', value: String(n.value), text: String(n.value), range };
    const lexed = lex(n.value);
    const t = lexed.tokens[0];
    if (lexed.tokens.length === 1 && !lexed.diagnostics.length && t!.image === n.value && t!.tokenType.name !== 'UnterminatedString') {
      const lit = new AstBuilder().literal(t!);
      // Only numeric shapes convert; a YAML string that happens to be one word (`val2017`) stays a string.
      if (lit.kind !== 'string' && lit.kind !== 'word') return { ...lit, range };
    }
    return { kind: 'string', value: n.value, text: JSON.stringify(n.value), range };
  }

  // ── top-level keys ──
  private top(pair: Pair<Node, Node>): void {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const v = pair.value;
    const keyRange = this.range(pair.key);
    const whole: Range = { start: keyRange.start, end: this.range(v).end };
    switch (key) {
      case 'model': return this.source(v, (source, zoo) => this.add({ kind: 'model', source, zoo, range: whole }));
      case 'teacher': case 'teachers': return this.teachers(v, whole);
      case 'data': return this.data(v, whole);
      case 'target': { const name = this.str(v, 'target'); if (name) this.add({ kind: 'target', name, range: whole }); return; }
      case 'input': return this.input(v, whole);
      case 'head': return this.head(v, whole);
      case 'use': return this.each(v, (item) => this.use(item));
      case 'scopes': return this.entries(v, 'scopes', (k, sel) => {
        const selector = this.selector(sel);
        if (selector) this.add({ kind: 'scope', name: k, selector, range: { start: k.range.start, end: selector.range.end } });
      });
      case 'set': return this.entries(v, 'set', (k, val) => {
        const value = this.literal(val);
        if (value) this.add({ kind: 'set', key: k, value, range: { start: k.range.start, end: value.range.end } });
      });
      case 'steps': return this.each(v, (item) => this.step(item));
      default: {
        if (this.saturated()) return;
        const { message, suggestion } = unknownMessage('top-level key', key, TOP_KEYS);
        this.err('CMP1001', message, keyRange, suggestion);
      }
    }
  }

  private source(v: Node | null, make: (s: Spanned, zoo: boolean) => void): void {
    const s = this.str(v, 'a model');
    if (!s) return;
    const zoo = s.value.startsWith('zoo:');
    make(zoo ? { value: s.value.slice(4), range: s.range } : s, zoo);
  }

  private teachers(v: Node | null, whole: Range): void {
    if (isMap(v) && !v.items.some((p) => isScalar(p.key) && p.key.value === 'path')) {
      // teachers: {big: models/big.onnx, other: zoo:yolov3}
      return this.entries(v, 'teachers', (name, src) => this.source(src, (source, zoo) => this.add({ kind: 'teacher', source, zoo, name, range: whole })));
    }
    this.each(v, (item) => {
      if (!isMap(item)) return this.source(item, (source, zoo) => this.add({ kind: 'teacher', source, zoo, range: whole }));
      const path = item.get('path', true) as Node | null;
      const as = item.get('as', true) as Node | null;
      const name = as ? this.str(as, 'as') : undefined;
      this.source(path ?? null, (source, zoo) => this.add({ kind: 'teacher', source, zoo, ...(name ? { name } : {}), range: whole }));
    });
  }

  private data(v: Node | null, whole: Range): void {
    if (!isMap(v)) {
      const format = this.str(v, 'data');
      if (format) this.add({ kind: 'data', format, options: [], range: whole });
      return;
    }
    let format: Spanned | undefined;
    let path: Spanned | undefined;
    const options: OptionNode[] = [];
    this.entries(v, 'data', (k, val) => {
      if (k.value === 'format') format = this.str(val, 'format');
      else if (k.value === 'path') path = this.str(val, 'path');
      else this.option(k, val, options);
    });
    if (!format) return this.err('CMP2004', 'data needs a format: data: {format: synth}', whole);
    this.add({ kind: 'data', format, ...(path ? { path } : {}), options, range: whole });
  }

  /** `head: none`, or `head: {kind: yolo, anchors: [[10, 13, 16, 30], [30, 61, 62, 45]], strides: [16, 32]}`. */
  private head(v: Node | null, whole: Range): void {
    if (!isMap(v)) {
      const kind = this.str(v, 'head');
      if (kind) this.add({ kind: 'head', head: kind, options: [], range: whole });
      return;
    }
    let kind: Spanned | undefined;
    const options: OptionNode[] = [];
    this.entries(v, 'head', (k, val) => {
      if (k.value === 'kind') kind = this.str(val, 'kind');
      else this.option(k, val, options);
    });
    if (!kind) return this.err('CMP2004', 'head needs a kind: head: {kind: yolo, anchors: [...], strides: [...]}', whole);
    this.add({ kind: 'head', head: kind, options, range: whole });
  }

  /** An option of a declaration as the .cmp form has it: `true` is a flag (`bgr: true`; `false` leaves it
   *  out), a list is `[...]` (a list of lists, several), anything else one value. */
  private option(k: Spanned, val: Node | null, options: OptionNode[]): void {
    const range = { start: k.range.start, end: this.range(val).end };
    if (isScalar(val) && typeof val.value === 'boolean') {
      if (val.value) options.push({ name: k, args: [], range });
      return;
    }
    if (isSeq(val)) {
      const nested = val.items.some((x) => isSeq(x));
      const args = nested ? val.items.map((x) => this.list(x as Node)) : [this.list(val)];
      if (args.every(Boolean)) options.push({ name: k, args: args as Literal[], range });
      return;
    }
    const l = this.literal(val);
    if (l) options.push({ name: k, args: [l], range });
  }

  /** `[1, 2, 3]` as a .cmp list literal. */
  private list(n: Node | null): Literal | undefined {
    if (!isSeq(n)) return this.literal(n);
    const items: Literal[] = [];
    for (const x of n.items) {
      const l = this.literal(x as Node);
      if (!l) return undefined;
      items.push(l);
    }
    const value = items.map((i) => (typeof i.value === 'number' ? i.value : Number.NaN));
    return { kind: 'list', value, items, text: `[${items.map((i) => i.text).join(', ')}]`, range: this.range(n) };
  }

  private input(v: Node | null, whole: Range): void {
    if (isSeq(v) && v.items.length === 2) {
      const [w, h] = v.items.map((i) => (isScalar(i) ? Number(i.value) : Number.NaN)) as [number, number];
      this.add({ kind: 'input', size: { kind: 'size', value: [w, h], text: `${w}x${h}`, range: this.range(v) }, range: whole });
      return;
    }
    const size = this.literal(v);
    if (size) this.add({ kind: 'input', size, range: whole });
  }

  private use(item: Node | null): void {
    const range = this.range(item);
    if (isMap(item) && item.has('stdlib')) {
      const stdlib = this.str(item.get('stdlib', true) as Node, 'stdlib');
      if (stdlib) this.add({ kind: 'use', stdlib, range });
      return;
    }
    const path = this.str(item, 'use');
    if (path) this.add({ kind: 'use', path, range });
  }

  private step(item: Node | null): void {
    if (!isMap(item) || item.items.length !== 1) return this.err('CMP0003', 'a step is a mapping with one key, the pass: - prune: {scope: backbone, ...}', this.range(item));
    const pair = item.items[0] as Pair<Node, Node>;
    const verb = isScalar(pair.key) ? String(pair.key.value) : '';
    const pass = passByName.get(verb);
    const range = this.range(item);
    if (!pass) {
      if (this.saturated()) return;
      const { message, suggestion } = unknownMessage('statement', verb, [...passByName.keys()]);
      return this.err('CMP1001', message, this.range(pair.key), suggestion);
    }
    // Keys are the user's (`__proto__: 1` is an unknown option): the draft's records have no prototype.
    const draft = emptyDraft(verb, range);
    const props = (pass.params.properties ?? {}) as Record<string, { $ref?: string }>;
    if (pair.value !== null && !(isScalar(pair.value) && pair.value.value === null)) {
      this.entries(pair.value, verb, (k, val) => {
        draft.ranges[k.value] = this.range(val);
        draft.ranges[`key:${k.value}`] = k.range;
        if (Object.hasOwn(props, k.value) && props[k.value]!.$ref === '#/definitions/selector') {
          const sel = this.selector(val);
          if (sel) { draft.selectors[k.value] = sel; draft.params[k.value] = selectorJson(sel); }
          return;
        }
        if (isSeq(val)) val.items.forEach((x, i) => { draft.ranges[`${k.value}.${i}`] = this.range(x as Node); });
        draft.params[k.value] = this.value(val);
      });
    }
    if (pass.normalize) draft.params = pass.normalize(draft.params);
    this.add({ kind: 'yaml-step', draft, range });
  }

  /** A parameter value: scalars read as .cmp literals (so "1/16" is a number), maps and lists recursively. */
  private value(n: Node | null): unknown {
    if (isSeq(n)) return n.items.map((x) => this.value(x as Node));
    if (isMap(n)) return Object.fromEntries(n.items.map((p) => [isScalar(p.key) ? String(p.key.value) : '', this.value(p.value as Node)]));
    if (!isScalar(n)) return null;
    if (typeof n.value !== 'string') return n.value;
    if (this.tooLong(n)) return n.value.slice(0, 64);
    const l = this.literal(n);
    return l && l.kind !== 'string' && l.kind !== 'word' && l.kind !== 'size' ? l.value : n.value;
  }

  private selector(n: Node | null): Selector | undefined {
    const range = this.range(n);
    if (isScalar(n) && typeof n.value === 'string') return this.tooLong(n) ? undefined : { kind: 'glob', pattern: n.value, range };
    if (isSeq(n)) {
      const items = n.items.map((x) => this.selector(x as Node));
      return items.every(Boolean) && items.length ? { kind: 'union', items: items as Selector[], range } : undefined;
    }
    if (isMap(n)) {
      const one = (k: string) => n.get(k, true) as Node | undefined;
      for (const kind of ['op', 'scope'] as const) {
        const v = one(kind);
        const name = v && this.str(v, kind);
        if (name) return { kind, name, range };
      }
      const base = one('select');
      const minus = one('except');
      if (base && minus) {
        const a = this.selector(base);
        const b = this.selector(minus);
        return a && b ? { kind: 'except', base: a, minus: b, range } : undefined;
      }
    }
    this.err('CMP1008', 'a selector is a glob string, a list, {op: NAME}, {scope: NAME} or {select: A, except: B}', range);
    return undefined;
  }

  // ── collections ──
  private each(v: Node | null, f: (item: Node | null) => void): void {
    if (!isSeq(v)) return f(v);
    for (const x of v.items) {
      if (this.full) return;
      f(x as Node);
    }
  }

  private entries(v: Node | null, what: string, f: (key: Spanned, value: Node | null) => void): void {
    if (!isMap(v)) return this.err('CMP1008', `${what} expects a mapping`, this.range(v));
    for (const p of v.items) {
      if (this.full) return;
      if (this.tooLong(p.key as Node)) continue;
      const key = isScalar(p.key) ? { value: String(p.key.value), range: this.range(p.key as Node) } : undefined;
      if (key) f(key, p.value as Node | null);
    }
  }
}
