// The generated grammar files are up to date, work offline, and agree with the lexer, the parser and the
// registries; the hand-written EBNF names every word the registries know.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createContext, runInContext } from 'node:vm';
import { diagramsHtml } from '../scripts/diagrams.ts';
import { textmateGrammar } from '../scripts/textmate.ts';
import { KEYWORDS } from '../src/lang/tokens.ts';
import { lex } from '../src/lang/lexer.ts';
import { getParser } from '../src/lang/parse.ts';
import { passes } from '../src/passes/registry.ts';
import { criterionIds } from '../src/passes/prune/criteria/registry.ts';
import { lossIds } from '../src/passes/distill/losses/registry.ts';
import { blockIds } from '../src/passes/replace/blocks/registry.ts';
import { METHODS, PRECISIONS } from '../src/passes/quantize/index.ts';
import { FORMATS } from '../src/passes/export/index.ts';
import { METRICS } from '../src/passes/eval/index.ts';
import { DATA_FORMATS, DATA_OPTIONS, HEAD_KINDS, HEAD_OPTIONS, SET_KEYS } from '../src/plan/declarations-meta.ts';

const grammarFile = (name: string): string => readFileSync(new URL(`../grammar/${name}`, import.meta.url), 'utf8');
const REGENERATE = 'regenerate with: npx tsx scripts/diagrams.ts && npx tsx scripts/textmate.ts';

// ── diagrams.html ──

test('grammar/diagrams.html is up to date with the parser', () => {
  assert.ok(grammarFile('diagrams.html') === diagramsHtml(), `grammar/diagrams.html is stale; ${REGENERATE}`);
});

test('grammar/diagrams.html loads nothing from the network and draws every rule with its inlined scripts', () => {
  const html = grammarFile('diagrams.html');
  assert.doesNotMatch(html, /<(?:script|link|img)\b[^>]*\b(?:src|href)\s*=/i, 'every script and stylesheet is inlined');
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  // The last script draws into the page's DOM; the ones before define the drawing code and the grammar.
  const window: Record<string, unknown> = {};
  window.window = window;
  const context = createContext(window);
  for (const s of scripts.slice(0, -1)) runInContext(s, context);
  const draw = runInContext('diagrams_builder.buildSyntaxDiagramsText(serializedGrammar)', context) as string;
  // Top-level productions are rules, which have a name (the declared type omits it).
  const rules = getParser().getSerializedGastProductions().map((r) => (r as { name?: string }).name!);
  assert.equal(draw.match(/<svg/g)?.length, rules.length);
  for (const r of rules) assert.ok(draw.includes(`<h2 class="diagramHeader">${r}</h2>`), `no diagram for ${r}`);
});

// ── lithe.tmLanguage.json ──

interface Capture { name?: string }
interface Rule {
  name?: string; match?: string; begin?: string; end?: string; include?: string; patterns?: Rule[];
  captures?: Record<string, Capture>; beginCaptures?: Record<string, Capture>; endCaptures?: Record<string, Capture>;
}
interface Grammar { scopeName: string; fileTypes: string[]; patterns: Rule[]; repository: Record<string, Rule> }

const grammar = textmateGrammar() as Grammar;

test('grammar/lithe.tmLanguage.json is up to date with the registries', () => {
  const committed: unknown = JSON.parse(grammarFile('lithe.tmLanguage.json'));
  assert.deepEqual(committed, grammar, `grammar/lithe.tmLanguage.json is stale; ${REGENERATE}`);
  assert.equal(grammar.scopeName, 'source.lithe');
  assert.deepEqual(grammar.fileTypes, ['cmp']);
});

function* allRules(rules: Iterable<Rule>): Generator<Rule> {
  for (const r of rules) {
    yield r;
    if (r.patterns) yield* allRules(r.patterns);
  }
}
const everyRule = [...allRules([...grammar.patterns, ...Object.values(grammar.repository)])];

test('every TextMate regex compiles in JavaScript and avoids Oniguruma-only syntax', () => {
  const regexes = everyRule.flatMap((r) => [r.match, r.begin, r.end].filter((x): x is string => x !== undefined));
  assert.ok(regexes.length > 20);
  for (const src of regexes) {
    assert.doesNotThrow(() => new RegExp(src), `does not compile: ${src}`);
    // \h \G \A \z \Z, possessive quantifiers and atomic groups are Oniguruma's; JS reads them differently.
    assert.doesNotMatch(src, /\\[hHGAzZ]|[*+?}][+]|\(\?>/, `Oniguruma-only construct in ${src}`);
  }
  for (const r of everyRule) if (r.include) assert.ok(grammar.repository[r.include.slice(1)], `dangling include ${r.include}`);
});

/** A token of the highlighter: [start, end) of the line and the scopes stacked on it, outermost first. */
interface Span { start: number; end: number; scopes: string[] }

/** A small TextMate engine for one line: leftmost match wins, ties go to the earlier pattern, and a
 *  region's end pattern wins ties with its inner patterns (TextMate's rules, enough for this grammar). */
function tokenize(line: string): Span[] {
  const out: Span[] = [];
  const flat = (rules: Rule[]): Rule[] => rules.flatMap((r) => {
    if (r.include) return flat([grammar.repository[r.include.slice(1)]!]);
    return r.match || r.begin ? [r] : flat(r.patterns ?? []);
  });
  const named = (...names: (string | undefined)[]): string[] => names.filter((n): n is string => !!n);
  const emit = (m: RegExpExecArray, outer: string[], name: string | undefined, caps: Record<string, Capture> = {}) => {
    out.push({ start: m.index, end: m.index + m[0].length, scopes: [...outer, ...named(name)] });
    for (const [i, c] of Object.entries(caps)) {
      const at = m.indices?.[Number(i)];
      if (at && c.name) out.push({ start: at[0], end: at[1], scopes: [...outer, ...named(name, c.name)] });
    }
  };
  const stack: { rule: Rule; start: number; scopes: string[] }[] = [];
  let pos = 0;
  while (pos <= line.length) {
    const frame = stack[stack.length - 1];
    const outer = frame?.scopes ?? [];
    let best: { m: RegExpExecArray; rule?: Rule } | undefined;
    const tryAt = (src: string, rule?: Rule) => {
      const re = new RegExp(src, 'dg');
      re.lastIndex = pos;
      const m = re.exec(line);
      if (m && (!best || m.index < best.m.index)) best = { m, rule };
    };
    if (frame) tryAt(frame.rule.end!);
    for (const r of flat(frame ? frame.rule.patterns ?? [] : grammar.patterns)) tryAt(r.match ?? r.begin!, r);
    if (!best) break;
    const { m, rule } = best;
    if (!rule) { // the region ends
      stack.pop();
      emit(m, outer, undefined, frame!.rule.endCaptures);
      out.push({ start: frame!.start, end: m.index + m[0].length, scopes: outer });
    } else if (rule.begin) {
      emit(m, outer, rule.name, rule.beginCaptures);
      stack.push({ rule, start: m.index, scopes: [...outer, ...named(rule.name)] });
    } else emit(m, outer, rule.name, rule.captures);
    pos = m[0].length === 0 && rule ? m.index + 1 : m.index + m[0].length;
  }
  for (const f of stack) out.push({ start: f.start, end: line.length, scopes: f.scopes });
  return out;
}

/** The scopes of the `nth` occurrence of `text` (a whole word, if `text` is a word); see scopesAt. */
function scopesOf(line: string, text: string, nth = 0): string[] {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const word = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(text);
  const found = [...line.matchAll(new RegExp(word ? `(?<![A-Za-z0-9_-])${escaped}(?![A-Za-z0-9_-])` : escaped, 'g'))];
  const at = found[nth]?.index;
  assert.ok(at !== undefined, `'${text}' (#${nth + 1}) not in '${line}'`);
  return scopesAt(line, at, text);
}

/** The scopes of the innermost token spanning exactly `text` at offset `at`: `text` must be one token for
 *  the highlighter (not part of a longer one, not split). */
function scopesAt(line: string, at: number, text: string): string[] {
  const tokens = tokenize(line);
  const exact = tokens.filter((t) => t.start === at && t.end === at + text.length).sort((a, b) => b.scopes.length - a.scopes.length);
  const seen = tokens.filter((t) => t.start <= at && t.end > at).map((t) => `'${line.slice(t.start, t.end)}'`);
  assert.ok(exact[0], `'${text}' in '${line}' is no token of its own (tokens there: ${seen.join(', ') || 'none'})`);
  return exact[0].scopes;
}

function assertScope(line: string, text: string, scope: string, nth = 0): void {
  const scopes = scopesOf(line, text, nth);
  assert.ok(scopes.includes(scope), `'${text}' in '${line}' has scopes [${scopes.join(', ')}], expected ${scope}`);
}

test('highlighting: statement heads, numbers, comments and vocabularies', () => {
  const line = 'prune backbone entropy 0.7; quantize int8 qat # hi';
  assertScope(line, 'prune', 'keyword.control.lithe');
  assertScope(line, 'quantize', 'keyword.control.lithe');
  assertScope(line, '0.7', 'constant.numeric.decimal.lithe');
  assertScope(line, '# hi', 'comment.line.number-sign.lithe');
  assertScope(line, ';', 'punctuation.terminator.statement.lithe');
  assertScope(line, 'entropy', 'support.constant.lithe');
  assertScope(line, 'int8', 'support.constant.lithe');
  assertScope(line, 'backbone', 'variable.language.scope.lithe');
  assertScope(line, 'qat', 'variable.parameter.lithe');

  const prune = 'prune head l1+bn flops 50% round 8 step 1/16 until map drop 0.5%  # keep 3x';
  assertScope(prune, 'l1', 'support.constant.lithe');
  assertScope(prune, '+', 'keyword.operator.plus.lithe');
  assertScope(prune, '50%', 'constant.numeric.percent.lithe');
  assertScope(prune, '1/16', 'constant.numeric.fraction.lithe');
  assertScope(prune, '8', 'constant.numeric.decimal.lithe');
  for (const w of ['until', 'map', 'drop']) assertScope(prune, w, 'keyword.other.lithe');
  assertScope(prune, '# keep 3x', 'comment.line.number-sign.lithe');

  assertScope('input 416x416; set lr 1e-4', '416x416', 'constant.numeric.size.lithe');
  assertScope('input 416x416; set lr 1e-4', 'set', 'storage.type.lithe');
  assertScope('input 416x416; set lr 1e-4', '1e-4', 'constant.numeric.decimal.lithe');
  assertScope('prune all l2 params 3x', '3x', 'constant.numeric.factor.lithe');
  assertScope('set seed .5', '.5', 'constant.numeric.decimal.lithe');
  assertScope('model zoo:yolov3-tiny', 'model', 'storage.type.lithe');
  assertScope('model zoo:yolov3-tiny', 'zoo:yolov3-tiny', 'entity.name.type.zoo.lithe');
  assertScope('  fuse', 'fuse', 'keyword.control.lithe');
  assertScope('eval map latency', 'latency', 'support.constant.lithe');
  assertScope('quantize int8 method percentile 99.9 per-channel', 'per-channel', 'variable.parameter.lithe');
  assertScope('target tx2', 'tx2', 'support.constant.lithe');
  assertScope('oops @', '@', 'invalid.illegal.character.lithe');
});

test('highlighting: strings, escapes and selectors', () => {
  const teacher = String.raw`teacher "big \"v2\"\\x.onnx\q" as big`;
  assertScope(teacher, String.raw`\"`, 'constant.character.escape.lithe');
  assertScope(teacher, String.raw`\\`, 'constant.character.escape.lithe');
  assertScope(teacher, String.raw`\q`, 'invalid.illegal.unknown-escape.lithe');
  assertScope(teacher, 'as', 'keyword.other.lithe');
  assertScope(teacher, 'big', 'entity.name.teacher.lithe', 1);
  const big = scopesOf(teacher, String.raw`"big \"v2\"\\x.onnx\q"`);
  assert.ok(big.includes('string.quoted.double.lithe'));
  assertScope('model "a # not a comment" # a comment', '# a comment', 'comment.line.number-sign.lithe');
  assertScope('model "unterminated', '"unterminated', 'string.quoted.double.lithe');

  const scope = 'scope data = op Conv, "model.1*" except scope head';
  assertScope(scope, 'scope', 'storage.type.lithe');
  assertScope(scope, 'data', 'entity.name.scope.lithe');
  assertScope(scope, 'op', 'keyword.other.lithe');
  assertScope(scope, '"model.1*"', 'string.quoted.double.lithe');
  assertScope(scope, 'except', 'keyword.other.lithe');
  assertScope(scope, 'scope', 'keyword.other.lithe', 1);
  assertScope(scope, 'head', 'variable.language.scope.lithe');
  assertScope('quantize int8 keep (op Concat, "x*")', 'Concat', 'meta.group.lithe');
});

test('highlighting: keywords are contextual', () => {
  // A statement keyword used as a name, mid-statement or inside parentheses, is not a statement head.
  assert.deepEqual(scopesOf('prune data l1 0.5', 'data'), []);
  assert.deepEqual(scopesOf('distill from teacher with cls+feat', 'teacher'), []);
  assert.ok(!scopesOf('keep (prune, x)', 'prune').includes('keyword.control.lithe'));
  // Words containing a keyword or a number are one plain word.
  assert.deepEqual(scopesOf('prune prune-x l1 0.5', 'prune-x'), []);
  assert.deepEqual(scopesOf('scope a1b = "x"', 'a1b'), ['entity.name.scope.lithe']);
  assert.deepEqual(scopesOf('prune x-4 l1 0.5', 'x-4'), []);
});

test('every keyword of the lexer is highlighted in its place', () => {
  for (const k of KEYWORDS) {
    const head = scopesOf(`${k} x`, k);
    const inner = scopesOf(`x ${k} y`, k);
    const kw = (s: string[]) => s.some((x) => /^(keyword|storage\.type)\./.test(x));
    assert.ok(kw(head) || kw(inner), `keyword '${k}' is not highlighted`);
  }
  for (const p of passes) assertScope(`${p.name} x`, p.name, 'keyword.control.lithe');
});

test('the highlighter splits numbers, strings, zoo references and comments as the lexer does', () => {
  const SCOPE: Record<string, string> = {
    Size: 'constant.numeric.size.lithe', Fraction: 'constant.numeric.fraction.lithe',
    Percent: 'constant.numeric.percent.lithe', Factor: 'constant.numeric.factor.lithe',
    NumberLit: 'constant.numeric.decimal.lithe', StringLit: 'string.quoted.double.lithe',
    ZooRef: 'entity.name.type.zoo.lithe',
  };
  const lines = [
    '7 0.7 .5 1e-4 70% 3x 1/16 416x416 -2 7. 1E+3x 2.5e-1%',
    '3xy 416x416a 1.5.5 x3 l1 a-4 -0.5% 10x10x10',
    'model zoo:yolov3-tiny; teacher "a\\"b#c" as t # note',
  ];
  for (const line of lines) {
    const { tokens, comments, diagnostics } = lex(line);
    assert.deepEqual(diagnostics, [], line);
    for (const t of [...tokens, ...comments]) {
      const name = t.tokenType.name;
      const scope = name === 'Comment' ? 'comment.line.number-sign.lithe' : SCOPE[name];
      const scopes = scopesAt(line, t.startOffset, t.image);
      if (scope) assert.ok(scopes.includes(scope), `${name} '${t.image}' in '${line}': [${scopes.join(', ')}]`);
      else assert.ok(!scopes.some((s) => s.startsWith('constant.numeric')), `'${t.image}' in '${line}' is not a number`);
    }
  }
});

// ── lithe.ebnf ──

interface Ebnf { rules: Map<string, string> }

function readEbnf(): Ebnf {
  const text = grammarFile('lithe.ebnf').replace(/\/\*[\s\S]*?\*\//g, ' ');
  const rules = new Map<string, string>();
  const heads = [...text.matchAll(/^([a-z][a-z0-9-]*)\s*::=/gm)];
  heads.forEach((h, i) => {
    assert.ok(!rules.has(h[1]!), `rule ${h[1]} is defined twice`);
    rules.set(h[1]!, text.slice(h.index! + h[0].length, heads[i + 1]?.index ?? text.length));
  });
  return { rules };
}

const literalsOf = (body: string): string[] => [...body.matchAll(/"([^"]*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2]!);
const referencesOf = (body: string): string[] =>
  [...body.replace(/"[^"]*"|'[^']*'|\[[^\]]*\]|#x[0-9A-Fa-f]+/g, ' ').matchAll(/[a-z][a-z0-9-]*/g)].map((m) => m[0]);

/** The literal words of a rule and of every rule it uses. */
function reachableLiterals(ebnf: Ebnf, start: string): Set<string> {
  const seen = new Set<string>();
  const out = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const body = ebnf.rules.get(name)!;
    for (const l of literalsOf(body)) out.add(l);
    for (const r of referencesOf(body)) visit(r);
  };
  visit(start);
  return out;
}

test('grammar/lithe.ebnf defines every rule it uses', () => {
  const ebnf = readEbnf();
  assert.ok(ebnf.rules.size > 40);
  for (const [name, body] of ebnf.rules) {
    for (const r of referencesOf(body)) assert.ok(ebnf.rules.has(r), `${name} uses ${r}, which is not defined`);
  }
});

test('grammar/lithe.ebnf names every statement, option and vocabulary word of the registries', () => {
  const ebnf = readEbnf();
  const words = (rule: string) => literalsOf(ebnf.rules.get(rule) ?? '').sort();
  // The closed vocabularies are listed exactly (a removed word must leave the grammar too).
  assert.deepEqual(words('criterion'), [...criterionIds].sort());
  assert.deepEqual(words('loss'), [...lossIds].sort());
  assert.deepEqual(words('block'), [...blockIds].sort());
  assert.deepEqual(words('precision'), [...PRECISIONS].sort());
  assert.deepEqual(words('format'), [...FORMATS].sort());
  assert.deepEqual(words('metric'), [...METRICS].sort());
  assert.deepEqual(words('data-format'), DATA_FORMATS.map((f) => f.name).sort());
  assert.deepEqual(words('set-key'), SET_KEYS.map((k) => k.name).sort());

  const statement = reachableLiterals(ebnf, 'statement');
  for (const k of KEYWORDS) assert.ok(statement.has(k), `keyword '${k}' is not in the grammar`);
  for (const p of passes) {
    assert.ok(literalsOf(ebnf.rules.get(p.name) ?? '')[0] === p.name, `no rule '${p.name} ::= "${p.name}" ...'`);
    const reach = reachableLiterals(ebnf, p.name);
    for (const o of p.options) assert.ok(reach.has(o.name), `option '${o.name}' of ${p.name} is not in the grammar`);
  }
  for (const m of METHODS) assert.ok(reachableLiterals(ebnf, 'quantize').has(m), `method ${m}`);
  const data = reachableLiterals(ebnf, 'data');
  for (const o of DATA_OPTIONS) assert.ok(data.has(o.name), `data option '${o.name}' is not in the grammar`);
  assert.deepEqual(words('head-kind'), HEAD_KINDS.map((k) => k.name).sort());
  const head = reachableLiterals(ebnf, 'head');
  for (const o of HEAD_OPTIONS) assert.ok(head.has(o.name), `head option '${o.name}' is not in the grammar`);
});
