// YAML recipes → the same statements the .cmp parser gives, with source ranges from the YAML nodes, so
// both lower through one pipeline to one plan. Steps arrive as parameter maps (`prune: {scope: backbone,
// criterion: entropy, amount: 0.7}`), the plan's own shape; selectors are structured: a string is a glob,
// a list a union, `{op: Conv}`, `{scope: head}`, `{select: A, except: B}`.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import type { Literal, OptionNode, Selector, Spanned, Statement } from '../lang/ast.ts';
import { rangeAt, type Range } from '../lang/range.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { lex } from '../lang/lexer.ts';
import { AstBuilder } from '../lang/visitor.ts';
import { passByName } from '../passes/registry.ts';
import type { StepDraft } from '../passes/types.ts';
import { selectorJson } from '../plan/selector.ts';
import { unknownMessage } from '../plan/suggest.ts';

export interface YamlStatement { kind: 'yaml-step'; draft: StepDraft; range: Range; recovered?: boolean }

const TOP_KEYS = ['data', 'input', 'model', 'scopes', 'set', 'steps', 'target', 'teacher', 'teachers', 'use'];

/** No recipe nests deeper; the yaml library recurses per level and can exhaust memory on absurd input. */
export const MAX_YAML_DEPTH = 32;

/** The offset where nesting first exceeds the limit: flow brackets, `- - -` prefixes, or deep indentation. */
function tooDeep(text: string): number | undefined {
  let depth = 0;
  let quote = '';
  let lineStart = true;
  let dashes = 0;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') { lineStart = true; dashes = 0; indent = 0; quote = ''; continue; }
    if (quote) { if (c === quote) quote = ''; continue; }
    if (lineStart && (c === ' ' || c === '-')) {
      if (c === '-') dashes++; else indent++;
      if (dashes > MAX_YAML_DEPTH || indent > MAX_YAML_DEPTH * 8) return i;
      continue;
    }
    lineStart = false;
    if (c === '#') { quote = '\n'; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') { if (++depth > MAX_YAML_DEPTH) return i; }
    else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

export function readYaml(text: string): { recipe: { statements: (Statement | YamlStatement)[] }; diagnostics: Diagnostic[] } {
  return new YamlReader(text).read();
}

class YamlReader {
  private readonly lc = new LineCounter();
  private readonly diagnostics: Diagnostic[] = [];
  private readonly out: (Statement | YamlStatement)[] = [];

  constructor(private readonly text: string) {}

  read() {
    const deep = tooDeep(this.text);
    if (deep !== undefined) {
      // Before parsing, the line counter knows no lines yet: count them directly.
      this.err('CMP0006', `YAML nested deeper than ${MAX_YAML_DEPTH} levels`, rangeAt(this.text, deep, 1));
      return { recipe: { statements: this.out }, diagnostics: this.diagnostics };
    }
    const doc = parseDocument(this.text, { lineCounter: this.lc, uniqueKeys: true, prettyErrors: false });
    for (const e of doc.errors) this.err('CMP0003', e.message.split('\n')[0]!, this.span(e.pos[0], e.pos[1]));
    const root = doc.contents;
    if (!doc.errors.length && root !== null && !isMap(root)) this.err('CMP0003', 'a YAML recipe is a mapping (model:, data:, steps:, ...)', this.range(root as Node));
    if (!doc.errors.length && isMap(root)) {
      for (const pair of root.items) this.top(pair as Pair<Node, Node>);
    }
    return { recipe: { statements: this.out }, diagnostics: this.diagnostics };
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
    this.diagnostics.push(d);
  }

  // ── scalars ──
  private str(n: Node | null, what: string): Spanned | undefined {
    if (isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number')) return { value: String(n.value), range: this.range(n) };
    this.err('CMP1008', `${what} expects a string`, this.range(n));
    return undefined;
  }

  /** A scalar as a .cmp literal: numbers stay numbers; "70%", "1/16", "3x", "416x416" read as in .cmp. */
  private literal(n: Node | null): Literal | undefined {
    const range = this.range(n);
    if (!isScalar(n)) { this.err('CMP1008', 'expected a single value', range); return undefined; }
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
      case 'model': return this.source(v, (source, zoo) => this.out.push({ kind: 'model', source, zoo, range: whole }));
      case 'teacher': case 'teachers': return this.teachers(v, whole);
      case 'data': return this.data(v, whole);
      case 'target': { const name = this.str(v, 'target'); if (name) this.out.push({ kind: 'target', name, range: whole }); return; }
      case 'input': return this.input(v, whole);
      case 'use': return this.each(v, (item) => this.use(item));
      case 'scopes': return this.entries(v, 'scopes', (k, sel) => {
        const selector = this.selector(sel);
        if (selector) this.out.push({ kind: 'scope', name: k, selector, range: { start: k.range.start, end: selector.range.end } });
      });
      case 'set': return this.entries(v, 'set', (k, val) => {
        const value = this.literal(val);
        if (value) this.out.push({ kind: 'set', key: k, value, range: { start: k.range.start, end: value.range.end } });
      });
      case 'steps': return this.each(v, (item) => this.step(item));
      default: {
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
      return this.entries(v, 'teachers', (name, src) => this.source(src, (source, zoo) => this.out.push({ kind: 'teacher', source, zoo, name, range: whole })));
    }
    this.each(v, (item) => {
      if (!isMap(item)) return this.source(item, (source, zoo) => this.out.push({ kind: 'teacher', source, zoo, range: whole }));
      const path = item.get('path', true) as Node | null;
      const as = item.get('as', true) as Node | null;
      const name = as ? this.str(as, 'as') : undefined;
      this.source(path ?? null, (source, zoo) => this.out.push({ kind: 'teacher', source, zoo, ...(name ? { name } : {}), range: whole }));
    });
  }

  private data(v: Node | null, whole: Range): void {
    if (!isMap(v)) {
      const format = this.str(v, 'data');
      if (format) this.out.push({ kind: 'data', format, options: [], range: whole });
      return;
    }
    let format: Spanned | undefined;
    let path: Spanned | undefined;
    const options: OptionNode[] = [];
    this.entries(v, 'data', (k, val) => {
      if (k.value === 'format') format = this.str(val, 'format');
      else if (k.value === 'path') path = this.str(val, 'path');
      else { const l = this.literal(val); if (l) options.push({ name: k, args: [l], range: { start: k.range.start, end: l.range.end } }); }
    });
    if (!format) return this.err('CMP2004', 'data needs a format: data: {format: synth}', whole);
    this.out.push({ kind: 'data', format, ...(path ? { path } : {}), options, range: whole });
  }

  private input(v: Node | null, whole: Range): void {
    if (isSeq(v) && v.items.length === 2) {
      const [w, h] = v.items.map((i) => (isScalar(i) ? Number(i.value) : Number.NaN)) as [number, number];
      this.out.push({ kind: 'input', size: { kind: 'size', value: [w, h], text: `${w}x${h}`, range: this.range(v) }, range: whole });
      return;
    }
    const size = this.literal(v);
    if (size) this.out.push({ kind: 'input', size, range: whole });
  }

  private use(item: Node | null): void {
    const range = this.range(item);
    if (isMap(item) && item.has('stdlib')) {
      const stdlib = this.str(item.get('stdlib', true) as Node, 'stdlib');
      if (stdlib) this.out.push({ kind: 'use', stdlib, range });
      return;
    }
    const path = this.str(item, 'use');
    if (path) this.out.push({ kind: 'use', path, range });
  }

  private step(item: Node | null): void {
    if (!isMap(item) || item.items.length !== 1) return this.err('CMP0003', 'a step is a mapping with one key, the pass: - prune: {scope: backbone, ...}', this.range(item));
    const pair = item.items[0] as Pair<Node, Node>;
    const verb = isScalar(pair.key) ? String(pair.key.value) : '';
    const pass = passByName.get(verb);
    const range = this.range(item);
    if (!pass) {
      const { message, suggestion } = unknownMessage('statement', verb, [...passByName.keys()]);
      return this.err('CMP1001', message, this.range(pair.key), suggestion);
    }
    const draft: StepDraft = { pass: verb, params: {}, range, ranges: {}, defaults: {}, selectors: {} };
    const props = (pass.params.properties ?? {}) as Record<string, { $ref?: string }>;
    if (pair.value !== null && !(isScalar(pair.value) && pair.value.value === null)) {
      this.entries(pair.value, verb, (k, val) => {
        draft.ranges[k.value] = this.range(val);
        draft.ranges[`key:${k.value}`] = k.range;
        if (props[k.value]?.$ref === '#/definitions/selector') {
          const sel = this.selector(val);
          if (sel) { draft.selectors[k.value] = sel; draft.params[k.value] = selectorJson(sel); }
          return;
        }
        if (isSeq(val)) val.items.forEach((x, i) => { draft.ranges[`${k.value}.${i}`] = this.range(x as Node); });
        draft.params[k.value] = this.value(val);
      });
    }
    if (pass.normalize) draft.params = pass.normalize(draft.params);
    this.out.push({ kind: 'yaml-step', draft, range });
  }

  /** A parameter value: scalars read as .cmp literals (so "1/16" is a number), maps and lists recursively. */
  private value(n: Node | null): unknown {
    if (isSeq(n)) return n.items.map((x) => this.value(x as Node));
    if (isMap(n)) return Object.fromEntries(n.items.map((p) => [isScalar(p.key) ? String(p.key.value) : '', this.value(p.value as Node)]));
    if (!isScalar(n)) return null;
    if (typeof n.value !== 'string') return n.value;
    const l = this.literal(n);
    return l && l.kind !== 'string' && l.kind !== 'word' && l.kind !== 'size' ? l.value : n.value;
  }

  private selector(n: Node | null): Selector | undefined {
    const range = this.range(n);
    if (isScalar(n) && typeof n.value === 'string') return { kind: 'glob', pattern: n.value, range };
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
    if (isSeq(v)) for (const x of v.items) f(x as Node);
    else f(v);
  }

  private entries(v: Node | null, what: string, f: (key: Spanned, value: Node | null) => void): void {
    if (!isMap(v)) return this.err('CMP1008', `${what} expects a mapping`, this.range(v));
    for (const p of v.items) {
      const key = isScalar(p.key) ? { value: String(p.key.value), range: this.range(p.key as Node) } : undefined;
      if (key) f(key, p.value as Node | null);
    }
  }
}
