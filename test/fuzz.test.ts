// Deterministic fuzzing of the language front end: `parse`, `checkText` (.cmp and YAML) and `format`.
//
// Inputs: random mutations of the recipes of the repository (recipes/, stdlib/, test/golden/); systematic
// sweeps (every option of every statement, every parameter of every YAML step, with arguments of the wrong
// shape); and fixed "monsters" (1 MB lines, binary junk, 10,000 nested parentheses, `use` cycles, ...).
// For every input:
//   - parse, checkText and format never throw;
//   - every diagnostic is well formed: a CMPdddd code, a severity, a message, a range of positive lines and
//     columns with start <= end and offsets inside the text;
//   - no CMP4008 (a plan that passed every rule but not the schema: a rule missed something);
//   - a plan is JSON-serialisable;
//   - when format succeeds: it is idempotent, its output has no syntax error, and it gives the same plan.
// Each call on a monster also has a time bound (a guard against pathological behaviour, not a benchmark),
// relative to the machine as it is: just before each monster, its process times the same calls on a
// reference recipe of the same size class (valid recipes repeated, which the front end handles in linear
// time), and a call may take SLACK times that, scaled to its input's length, or FUZZ_MONSTER_MS, whichever is
// more. A loaded machine slows both alike; an input that takes the checker quadratic time still fails.
// Monsters run in child processes, beside the mutations, so one that hangs or crashes is killed and reported
// instead of taking the suite with it. A failure prints the seed and the shortest input of each kind.
//
//   FUZZ_SEED=123 FUZZ_N=2000 node --import tsx --test test/fuzz.test.ts
//   FUZZ_SEED=123 FUZZ_ONLY=417 ...   re-runs iteration 417 of that seed alone (and prints its input)
//   FUZZ_MONSTER='YAML'               runs only the monsters whose name matches (a regular expression)
//   FUZZ_MONSTER_MS=5000              the least time bound of one call on a monster
//   FUZZ_KILL_MS=180000               a call still running after this long is killed (a hang)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fork } from 'node:child_process';
import { checkText } from '../src/plan/build.ts';
import { parse, vocabulary } from '../src/lang/parse.ts';
import { passes } from '../src/passes/registry.ts';
import { format } from '../src/fmt/format.ts';
import { readYaml } from '../src/yaml/read.ts';
import { KEYWORDS } from '../src/lang/tokens.ts';
import type { Diagnostic } from '../src/diagnostics/diagnostic.ts';
import { mulberry32 } from '../src/util/random.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SEED = (Number(process.env.FUZZ_SEED ?? 20240611) >>> 0);
const N = Number(process.env.FUZZ_N ?? 800);
const ONLY = process.env.FUZZ_ONLY === undefined ? undefined : Number(process.env.FUZZ_ONLY);
const MONSTER_MS = Number(process.env.FUZZ_MONSTER_MS ?? 5000);
/** How many times slower than the reference (per character) a call on a monster may be. */
const SLACK = 20;
/** Runs only the monsters whose name matches this regular expression. */
const MONSTER_FILTER = new RegExp(process.env.FUZZ_MONSTER ?? '');
/** A call on a monster still running after this long is killed and reported: a hang, not slowness. */
const KILL_MS = Number(process.env.FUZZ_KILL_MS ?? Math.max(180_000, 2.5 * MONSTER_MS));

// ─── PRNG ────────────────────────────────────────────────────────────────────────────────────────────────


/** One independent stream per iteration, so an iteration can be replayed alone (FUZZ_ONLY). */
const streamFor = (seed: number, salt: number): Rng => new Rng(mulberry32(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35)));

class Rng {
  constructor(readonly next: () => number) {}
  int(n: number): number { return Math.floor(this.next() * n); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]!; }
  chance(p: number): boolean { return this.next() < p; }
}

// ─── checking one input ──────────────────────────────────────────────────────────────────────────────────

interface Failure {
  /** What went wrong, without the input: failures with the same kind are grouped in the report. */
  kind: string;
  detail: string;
  /** How to get the input again. */
  origin: string;
  file: string;
  input: string;
}

type Report = (kind: string, detail?: string) => void;

const fileTexts = new Map<string, string | undefined>();
function textOfFile(shown: string): string | undefined {
  if (!fileTexts.has(shown)) {
    const p = shown.startsWith('stdlib/') ? join(ROOT, shown) : resolve(shown);
    try { fileTexts.set(shown, readFileSync(p, 'utf8')); } catch { fileTexts.set(shown, undefined); }
  }
  return fileTexts.get(shown);
}

function checkRange(r: Diagnostic['range'] | undefined, len: number | undefined, what: string, report: Report): void {
  if (!r || !r.start || !r.end) return report(`${what}: no range`);
  const ints = [r.start.line, r.start.col, r.end.line, r.end.col];
  if (!ints.every((x) => Number.isInteger(x) && x >= 1)) return report(`${what}: line/col not positive integers`, JSON.stringify(r));
  if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.col > r.end.col)) return report(`${what}: start after end`, JSON.stringify(r));
  const { offset: a } = r.start;
  const { offset: b } = r.end;
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || a > b) return report(`${what}: bad offsets`, JSON.stringify(r));
  if (len !== undefined && b > len) return report(`${what}: offset past the end of the text`, `${JSON.stringify(r)}, text length ${len}`);
}

function checkDiagnostics(ds: unknown, text: string, fn: string, report: Report): void {
  if (!Array.isArray(ds)) return report(`${fn}: diagnostics is not an array`);
  for (const d of ds as Diagnostic[]) {
    const code = typeof d?.code === 'string' && /^CMP\d{4}$/.test(d.code) ? d.code : 'bad-code';
    const at = `${fn} ${code}`;
    const show = (): string => JSON.stringify(d).slice(0, 400);
    if (code === 'bad-code') report(`${fn}: code does not match CMPdddd`, show());
    if (!['error', 'warning', 'info'].includes(d.severity)) report(`${at}: bad severity`, show());
    if (typeof d.message !== 'string' || !d.message.trim()) report(`${at}: empty message`, show());
    if (code === 'CMP4008') report(`${at}: the plan does not match its schema (a rule missed something)`, d.message);
    const len = d.file === undefined ? text.length : textOfFile(d.file)?.length;
    checkRange(d.range, len, at, report);
    if (d.fix) checkRange(d.fix.range, len, `${at} fix`, report);
  }
}

/** Why a value is not plain JSON, or undefined. Bounded, so an exponential plan is reported, not walked. */
function jsonProblem(v: unknown, budget = { nodes: 5_000_000 }, path = 'plan', seen = new Set<object>()): string | undefined {
  if (--budget.nodes < 0) return `${path}: more than 5,000,000 values (exponential growth?)`;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${path} is ${v}`;
  if (typeof v !== 'object') return `${path} is a ${typeof v}`;
  if (seen.has(v)) return `${path} is a cycle`;
  const proto = Object.getPrototypeOf(v);
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return `${path} is a ${proto?.constructor?.name ?? 'non-plain object'}`;
  seen.add(v);
  try {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (v[i] === undefined) return `${path}[${i}] is undefined`;
        const p = jsonProblem(v[i], budget, `${path}[${i}]`, seen);
        if (p) return p;
      }
    } else {
      for (const [k, x] of Object.entries(v)) {
        if (x === undefined) continue; // JSON drops it: harmless
        const p = jsonProblem(x, budget, `${path}.${k}`, seen);
        if (p) return p;
      }
    }
  } finally { seen.delete(v); }
  return undefined;
}

/** A plan without source positions (and without `source`, the file name). */
function stripPositions(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripPositions);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'range' && k !== 'source').map(([k, x]) => [k, stripPositions(x)]));
  }
  return v;
}

const isYaml = (file: string): boolean => /\.ya?ml$/i.test(file);
const errName = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]!.slice(0, 100)}` : String(e).slice(0, 100));
const stackOf = (e: unknown): string => (e instanceof Error && e.stack ? e.stack.split('\n').slice(0, 10).join('\n') : String(e));

interface Timed { fn: string; ms: number }
/** For monsters: told before each call (so a hung call can be named) and after it, with its duration. */
interface Hooks {
  before(fn: string): void;
  after(t: Timed): void;
  /** True once the input has failed its time bound: the remaining calls are skipped (they would be as slow). */
  skip(): boolean;
}

/** What the inputs exercised, so a run shows it is not vacuous (most inputs rejected at the first token). */
class Coverage {
  inputs = 0; parsed = 0; plans = 0; formatted = 0; refused = 0;
  readonly codes = new Map<string, number>();
  line(): string {
    const top = [...this.codes.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c}×${n}`);
    const fmt = this.formatted + this.refused ? `, ${this.formatted} formatted, ${this.refused} refused by format` : '';
    return `${this.inputs} inputs: ${this.parsed} without syntax errors, ${this.plans} with a plan${fmt}; ${this.codes.size} diagnostic codes seen: ${top.join(' ')}`;
  }
}

/** Runs every entry point on one input and reports each broken property. */
function exercise(file: string, text: string, report: Report, hooks?: Hooks, cov?: Coverage): void {
  if (cov) cov.inputs++;
  const call = <T>(fn: string, f: () => T): T | undefined => {
    if (hooks?.skip()) return undefined;
    hooks?.before(fn);
    const t0 = performance.now();
    try {
      return f();
    } catch (e) {
      report(`${fn} threw ${errName(e)}`, stackOf(e));
      return undefined;
    } finally {
      hooks?.after({ fn, ms: performance.now() - t0 });
    }
  };

  if (isYaml(file)) {
    const y = call('readYaml', () => readYaml(text));
    if (y) checkDiagnostics(y.diagnostics, text, 'readYaml', report);
  } else {
    const p = call('parse', () => parse(text));
    if (p) checkDiagnostics(p.diagnostics, text, 'parse', report);
  }

  const checked = call('checkText', () => checkText(file, text));
  let planOk = false;
  if (checked) {
    if (cov) {
      if (checked.plan) cov.plans++;
      if (!checked.diagnostics.some((d) => d.code.startsWith('CMP0'))) cov.parsed++;
      for (const d of checked.diagnostics) cov.codes.set(d.code, (cov.codes.get(d.code) ?? 0) + 1);
    }
    checkDiagnostics(checked.diagnostics, text, 'checkText', report);
    if (checked.plan !== undefined) {
      const problem = jsonProblem(checked.plan);
      if (problem) report('checkText: plan is not JSON-serialisable', problem);
      else {
        try { JSON.stringify(checked.plan); planOk = true; } catch (e) { report('checkText: plan is not JSON-serialisable', errName(e)); }
      }
    }
    if (checked.plan !== undefined && checked.diagnostics.some((d) => d.severity === 'error')) report('checkText: a plan despite errors');
    if (checked.plan === undefined && !checked.diagnostics.some((d) => d.severity === 'error')) report('checkText: no plan and no error');
  }
  if (isYaml(file)) return;

  const f = call('format', () => format(text));
  if (!f) return;
  if (cov) { if (f.ok) cov.formatted++; else cov.refused++; }
  if (!f.ok) {
    checkDiagnostics(f.diagnostics, text, 'format', report);
    if (!f.diagnostics.length) report('format: refused without a diagnostic');
    if (f.diagnostics.some((d) => !d.code.startsWith('CMP0'))) report('format: refused for a non-syntax diagnostic', f.diagnostics.map((d) => d.code).join(' '));
    return;
  }
  if (typeof f.text !== 'string') return report('format: ok without text');
  const again = call('format(formatted)', () => format(f.text));
  if (again && !again.ok) report('format: its own output does not format', `${again.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}\n--- formatted:\n${clip(f.text)}`);
  else if (again && again.text !== f.text) report('format: not idempotent', firstDifference(f.text, again.text));
  const reparsed = call('parse(formatted)', () => parse(f.text));
  const syntax = reparsed?.diagnostics.filter((d) => d.code.startsWith('CMP0')) ?? [];
  if (syntax.length) report('format: its output has syntax errors', `${syntax.map((d) => `${d.code} ${d.message}`).join('; ')}\n--- formatted:\n${clip(f.text)}`);
  if (checked && (checked.plan === undefined || planOk)) {
    const after = call('checkText(formatted)', () => checkText(file, f.text));
    if (after) {
      if ((after.plan === undefined) !== (checked.plan === undefined)) {
        report('format: changes whether the recipe has a plan', `before: ${codes(checked.diagnostics)}; after: ${codes(after.diagnostics)}\n--- formatted:\n${clip(f.text)}`);
      } else if (checked.plan !== undefined) {
        try {
          assert.deepStrictEqual(stripPositions(after.plan), stripPositions(checked.plan));
        } catch (e) {
          report('format: changes the plan', `${(e as Error).message.slice(0, 1500)}\n--- formatted:\n${clip(f.text)}`);
        }
      }
    }
  }
}

const codes = (ds: Diagnostic[]): string => ds.map((d) => d.code).join(' ') || 'none';

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `first difference at offset ${i}: ${JSON.stringify(a.slice(Math.max(0, i - 40), i + 40))} vs ${JSON.stringify(b.slice(Math.max(0, i - 40), i + 40))}`;
}

/** An input shown in a report: JSON-escaped (binary junk stays visible), long ones cut in the middle. */
function clip(s: string, max = 600): string {
  const j = JSON.stringify(s);
  return j.length <= max ? j : `${j.slice(0, max / 2)} … (${s.length} chars) … ${j.slice(-max / 2)}`;
}

class Failures {
  readonly all: Failure[] = [];
  add(f: Failure): void { this.all.push(f); }
  /** Grouped by kind, each with its count and its shortest input (the easiest to reproduce). */
  summary(header: string): string {
    const groups = new Map<string, Failure[]>();
    for (const f of this.all) groups.set(f.kind, [...(groups.get(f.kind) ?? []), f]);
    const parts = [...groups.entries()].map(([kind, fs]) => {
      const f = fs.reduce((a, b) => (b.input.length < a.input.length ? b : a));
      const others = [...new Set(fs.map((x) => x.origin))].filter((o) => o !== f.origin);
      const also = others.length ? `\n  also from: ${others.slice(0, 4).join(' | ')}${others.length > 4 ? ` | … ${others.length - 4} more` : ''}` : '';
      // Other inputs of the same kind that failed differently (another message), each with its input.
      const variants = new Map<string, Failure>();
      for (const x of fs) {
        const key = x.detail.split('\n')[0]!;
        if (key !== f.detail.split('\n')[0] && (!variants.has(key) || x.input.length < variants.get(key)!.input.length)) variants.set(key, x);
      }
      const more = [...variants.entries()].slice(0, 6).map(([k, x]) => `\n  also: ${k.slice(0, 200)}\n        input: ${clip(x.input, 300)}`).join('');
      return `■ ${kind}  (${fs.length}×)\n  origin: ${f.origin}${also}\n  file: ${f.file}\n  input: ${clip(f.input)}\n  ${f.detail.split('\n').join('\n  ')}${more}`;
    });
    return `${header}: ${this.all.length} failures of ${groups.size} kinds\n\n${parts.join('\n\n')}\n`;
  }
}

// ─── the corpus and the mutations ────────────────────────────────────────────────────────────────────────

interface Base { file: string; text: string }

function corpus(): { cmp: Base[]; yaml: Base[] } {
  const files: string[] = [];
  const add = (dir: string, test: (f: string) => boolean): void => {
    const d = join(ROOT, dir);
    if (!existsSync(d)) return;
    for (const f of readdirSync(d).sort()) if (test(f)) files.push(join(d, f));
  };
  add('recipes', (f) => /\.(cmp|ya?ml)$/.test(f));
  add('stdlib', (f) => f.endsWith('.cmp'));
  add('test/golden/use-files/lib', (f) => f.endsWith('.cmp'));
  const golden = join(ROOT, 'test/golden');
  for (const c of existsSync(golden) ? readdirSync(golden).sort() : []) {
    for (const f of ['input.cmp', 'input.yaml']) if (existsSync(join(golden, c, f))) files.push(join(golden, c, f));
  }
  const bases = files.map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  return { cmp: bases.filter((b) => !isYaml(b.file)), yaml: bases.filter((b) => isYaml(b.file)) };
}

const WORDS = [
  ...KEYWORDS,
  'l1', 'l2', 'bn', 'entropy', 'similarity', 'fpgm', 'dynamic', 'taylor', 'random', 'flops', 'params', 'macs',
  'global', 'round', 'min', 'keep', 'step', 'until', 'map', 'drop', 'epochs', 'cls', 'feat', 'attn', 'reg',
  'corr', 'lr', 'batch', 'seed', 'calib', 'imgsz', 'workers', 'temperature', 'weight', 'int8', 'fp16', 'int4',
  'ptq', 'qat', 'learn-scales', 'method', 'minmax', 'percentile', 'mse', 'per-channel', 'per-tensor', 'dsconv', 'mbconv', 'kernel',
  'expand', 'se', 'latency', 'size', 'onnx', 'tensorrt', 'mslite', 'synth', 'coco', 'yolo', 'voc', 'images', 'val',
  'x86', 'tx2', 'kirin990', 'backbone', 'neck', 'head', 'all', 'outputs', 'stem', 'yolov3', 'yolov3-tiny',
  'zoo:yolov3', 'zoo:yolov3-tiny', 'zoo:', 'Conv', 'Relu', '__proto__', 'constructor', 'toString', 'hasOwnProperty',
];
const PUNCT = ['#', '(', ')', ',', '+', '\n', ';', '"', '=', '\\', ' ', '\t', '\r\n', '%', 'x', '/', '-', '.', ':', '@', '{', '}', '[', ']'];
const NUMBERS = [
  '0', '1', '7', '0.7', '.5', '1e-4', '70%', '3x', '1/16', '1/0', '0/0', '416x416', '0x0', '-1', '-0', '1e999', '-1e999',
  '1e-999', '99999999999999999999999', '0.0000001', '100%', '0%', '1.', '2.5', '9007199254740993', 'NaN', 'Infinity',
];
const STRINGS = ['"x*"', '""', '"a\\"b"', '"\\\\"', '"\\n"', '"\\q"', '"model.1*"', '"../x.cmp"', '"/etc/passwd"', '"lib/common.cmp"', '"input.cmp"', '"."', '"\u00e9\u4e2d"'];
const YAML_PIECES = [
  ':', ': ', '- ', '  ', '{', '}', '[', ']', '&a ', '*a', '!!str ', '!!binary ', '!!map ', '? ', '|', '>', '---\n', '...\n', "'", '%YAML 1.2\n',
  '<<: *a', 'null', '~', 'true', '.inf', '.nan', '0x1F', '0o17', '"', '#', '\n  - ', '\n    ', 'steps:', 'model:', 'data:', 'scopes:', 'set:',
  'use:', 'target:', 'teachers:', 'input:', '- prune: {', 'scope:', 'criterion:', 'amount:', 'keep:', 'select:', 'except:', 'op:', 'progressive:',
  'until_map_drop:', 'losses:', 'weights:', 'precision:', 'mode:', 'format:', 'stdlib:', 'path:', '__proto__:', 'constructor:',
];
const YAML_KEYS = [
  'model', 'teacher', 'teachers', 'data', 'target', 'input', 'use', 'scopes', 'set', 'steps', 'prune', 'distill', 'quantize', 'replace',
  'finetune', 'fuse', 'eval', 'export', 'scope', 'criterion', 'amount', 'progressive', 'step', 'until_map_drop', 'epochs', 'lr', 'batch',
  'round', 'min', 'keep', 'global', 'from', 'losses', 'weights', 'temperature', 'precision', 'mode', 'method', 'percentile', 'calib', 'block',
  'kernel', 'expand', 'se', 'format', 'path', 'metrics', 'select', 'except', 'op', 'stdlib', 'images', 'val', 'seed', 'as', 'flops', 'params',
];
const YAML_VALUES = [
  ...WORDS, ...NUMBERS, ...STRINGS, '[]', '{}', '[l1, bn]', '[3, 5]', '{scope: head}', '{op: Conv}', '{flops: 50%}', '{params: 3x}', 'null', '~', '',
  'true', 'false', '.inf', '-.nan', '0x10', '1_000', '"0.5"', "'70%'", '[416, 352]', '{step: 1/16, until_map_drop: 0.5%}', '{epochs: 2}',
];
const JUNK = [
  ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)), '\u007f', '\u0085', '\u00a0', '\u2028', '\u2029', '\ufeff', '\ufffd',
  '\ud800', '\udbff', '\udc00', '\udfff', '\ud83d\ude00', '\u200b', '\u202e', '\uffff', '\u0300',
];

function piece(r: Rng, yaml: boolean): string {
  switch (r.int(yaml ? 7 : 6)) {
    case 0: return r.pick(WORDS);
    case 1: return r.pick(PUNCT);
    case 2: return r.pick(NUMBERS);
    case 3: return r.pick(STRINGS);
    case 4: return r.pick(JUNK);
    case 5: return `${r.pick(['', ' ', '\n'])}${r.pick(WORDS)} ${r.pick([...NUMBERS, ...WORDS, ...STRINGS])}${r.pick(['', ' ', ';', '\n'])}`;
    default: return r.pick(YAML_PIECES);
  }
}

const TOKEN = /[A-Za-z_][A-Za-z0-9_-]*|"(?:[^"\\\n]|\\.)*"?|-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[%x]?(?:\/\d+|x\d+)?|#[^\n]*|[ \t]+|\n|[\s\S]/g;
const tokens = (s: string): string[] => s.match(TOKEN) ?? [];

type Mutation = (text: string, r: Rng, ctx: { other: () => string; yaml: boolean }) => string;

const at = (s: string, r: Rng): number => r.int(s.length + 1);
const onTokens = (s: string, f: (ts: string[]) => void): string => { const ts = tokens(s); if (ts.length) f(ts); return ts.join(''); };
const onLines = (s: string, f: (ls: string[]) => void): string => { const ls = s.split('\n'); f(ls); return ls.join('\n'); };

const MUTATIONS: Record<string, Mutation> = {
  'delete-token': (s, r) => onTokens(s, (ts) => ts.splice(r.int(ts.length), 1)),
  'duplicate-token': (s, r) => onTokens(s, (ts) => { const i = r.int(ts.length); ts.splice(i, 0, /^[\w"]/.test(ts[i]!) ? `${ts[i]} ` : ts[i]!); }),
  'swap-tokens': (s, r) => onTokens(s, (ts) => { const i = r.int(ts.length); const j = r.int(ts.length); [ts[i], ts[j]] = [ts[j]!, ts[i]!]; }),
  'swap-adjacent-tokens': (s, r) => onTokens(s, (ts) => { const i = r.int(Math.max(1, ts.length - 1)); if (ts[i + 1] !== undefined) [ts[i], ts[i + 1]] = [ts[i + 1]!, ts[i]!]; }),
  'replace-token': (s, r, c) => onTokens(s, (ts) => { ts[r.int(ts.length)] = piece(r, c.yaml); }),
  'delete-chars': (s, r) => { const i = at(s, r); return s.slice(0, i) + s.slice(i + 1 + r.int(r.chance(0.8) ? 1 : 20)); },
  'duplicate-chars': (s, r) => { const i = at(s, r); const n = 1 + r.int(10); return s.slice(0, i + n) + s.slice(i, i + n) + s.slice(i + n); },
  'swap-chars': (s, r) => { if (s.length < 2) return s; const a = s.split(''); const i = r.int(a.length); const j = r.int(a.length); [a[i], a[j]] = [a[j]!, a[i]!]; return a.join(''); },
  insert: (s, r, c) => { const i = at(s, r); return s.slice(0, i) + piece(r, c.yaml) + s.slice(i); },
  'insert-at-token': (s, r, c) => onTokens(s, (ts) => ts.splice(r.int(ts.length + 1), 0, piece(r, c.yaml))),
  'insert-run': (s, r, c) => { const i = at(s, r); return s.slice(0, i) + piece(r, c.yaml).repeat(2 + r.int(200)) + s.slice(i); },
  truncate: (s, r) => s.slice(0, at(s, r)),
  'truncate-at-token': (s, r) => { const ts = tokens(s); return ts.slice(0, r.int(ts.length + 1)).join('').trimEnd(); },
  'cut-head': (s, r) => s.slice(at(s, r)),
  splice: (s, r, c) => { const o = c.other(); return s.slice(0, at(s, r)) + o.slice(at(o, r)); },
  'splice-lines': (s, r, c) => { const a = s.split('\n'); const b = c.other().split('\n'); return [...a.slice(0, r.int(a.length + 1)), ...b.slice(r.int(b.length + 1))].join('\n'); },
  'interleave-lines': (s, r, c) => { const a = s.split('\n'); const b = c.other().split('\n'); const out: string[] = []; while (a.length || b.length) out.push(((r.chance(0.5) && a.length) || !b.length ? a : b).shift()!); return out.join('\n'); },
  'replace-junk': (s, r) => { const i = at(s, r); let j = ''; for (let n = 1 + r.int(4); n > 0; n--) j += r.chance(0.5) ? r.pick(JUNK) : String.fromCharCode(r.int(0x10000)); return s.slice(0, i) + j + s.slice(i + 1); },
  'delete-line': (s, r) => onLines(s, (ls) => ls.splice(r.int(ls.length), 1)),
  'duplicate-line': (s, r) => onLines(s, (ls) => { const i = r.int(ls.length); ls.splice(i, 0, ls[i]!); }),
  'swap-lines': (s, r) => onLines(s, (ls) => { const i = r.int(ls.length); const j = r.int(ls.length); [ls[i], ls[j]] = [ls[j]!, ls[i]!]; }),
  'join-lines': (s, r) => onLines(s, (ls) => { const i = r.int(Math.max(1, ls.length - 1)); if (ls.length > 1) ls.splice(i, 2, `${ls[i]}${r.pick([' ', '; ', '', ' + ', ', '])}${ls[i + 1]}`); }),
  'indent-line': (s, r) => onLines(s, (ls) => { const i = r.int(ls.length); ls[i] = r.pick([' ', '  ', '\t', '    ', '']) + ls[i]!.replace(r.chance(0.5) ? /^\s+/ : /^/, ''); }),
  'newline-in-statement': (s, r) => onTokens(s, (ts) => ts.splice(r.int(ts.length + 1), 0, r.pick(['\n', '(\n', ',\n', '+\n', '\n)', '\\\n', '\r']))),
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

// YAML-aware mutations: most character-level ones only break the YAML syntax, these reach the reader behind it.
const YAML_KEY = /([A-Za-z_][\w-]*)(?=\s*:(?:\s|$))/g;
const YAML_VALUE = /(?<=:[ \t]*)(?:[^\s,{}\[\]#:][^,{}\[\]#\n]*?)(?=\s*(?:[,}\]\n#]|$))/g;
function replaceNth(s: string, re: RegExp, r: Rng, f: (m: string) => string): string {
  const ms = [...s.matchAll(re)];
  if (!ms.length) return s;
  const m = r.pick(ms);
  return s.slice(0, m.index) + f(m[0]) + s.slice(m.index! + m[0].length);
}
const YAML_MUTATIONS: Record<string, Mutation> = {
  'yaml-key': (s, r) => replaceNth(s, YAML_KEY, r, () => r.pick(YAML_KEYS)),
  'yaml-key-typo': (s, r) => replaceNth(s, YAML_KEY, r, (k) => { const i = r.int(k.length); return k.slice(0, i) + k.slice(i + 1); }),
  'yaml-value': (s, r) => replaceNth(s, YAML_VALUE, r, () => r.pick(YAML_VALUES)),
  'yaml-drop-pair': (s, r) => replaceNth(s, /(?:, )?[A-Za-z_][\w-]*: [^,{}\n]+/g, r, () => ''),
  'yaml-add-pair': (s, r) => replaceNth(s, /\{/g, r, () => `{${r.pick(YAML_KEYS)}: ${r.pick(YAML_VALUES) || '1'}, `),
  'yaml-list-item': (s, r) => onLines(s, (ls) => { const i = r.int(ls.length + 1); ls.splice(i, 0, `  - ${r.pick(YAML_KEYS)}: {${r.pick(YAML_KEYS)}: ${r.pick(YAML_VALUES) || '1'}}`); }),
};
const YAML_MUTATION_NAMES = Object.keys(YAML_MUTATIONS);

function mutate(base: Base, others: Base[], r: Rng): { text: string; ops: string[] } {
  let text = base.text;
  const ops: string[] = [];
  const yaml = isYaml(base.file);
  for (let k = 1 + r.int(r.chance(0.2) ? 8 : 3); k > 0; k--) {
    const name = yaml && r.chance(0.75) ? r.pick(YAML_MUTATION_NAMES) : r.pick(MUTATION_NAMES);
    let otherName = '';
    text = (MUTATIONS[name] ?? YAML_MUTATIONS[name])!(text, r, { yaml, other: () => { const o = r.pick(others); otherName = o.file.slice(ROOT.length + 1); return o.text; } });
    ops.push(otherName ? `${name}(${otherName})` : name);
  }
  return { text, ops };
}

// ─── the monsters ────────────────────────────────────────────────────────────────────────────────────────

interface Monster {
  file: string;
  text: string;
  /** Check it this many times, as an editor re-checks a file on each keystroke (default 1). */
  repeat?: number;
  cleanup?: () => void;
}

/**
 * A recipe file that uses other files: they are written to a fresh folder of os.tmpdir() (inside the
 * parent's folder, which the parent removes even when a child was killed before cleaning up).
 */
function withFiles(files: Record<string, string>, main: string): Monster {
  const dir = mkdtempSync(join(process.env.LITHE_FUZZ_TMP ?? tmpdir(), 'lithe-fuzz-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { file: join(dir, main), text: files[main]!, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function sized(r: Rng, bytes: number, sep: string, next: () => string): string {
  const parts: string[] = [];
  let n = 0;
  while (n < bytes) { const p = next(); parts.push(p); n += p.length + sep.length; }
  return parts.join(sep);
}

const MB = 1 << 20;
/** Just under the recipe size limit (1 MiB), so the whole text is read. */
const UNDER_MB = MB - 100;
const MONSTERS: Record<string, (r: Rng) => Monster> = {
  'words, 1 MB on one line': (r) => ({ file: 'monster.cmp', text: sized(r, UNDER_MB, ' ', () => r.pick([...WORDS, ...NUMBERS])) }),
  'words, past the 1 MiB limit': (r) => ({ file: 'monster.cmp', text: sized(r, MB + 1, ' ', () => r.pick([...WORDS, ...NUMBERS])) }),
  // A linear checker does this in about 2 s on a slow machine; one quadratic in the number of steps does not.
  '9,500 steps on one line': (r) => ({ file: 'monster.cmp', text: `data synth; ${Array.from({ length: 9_500 }, () => r.pick(['eval', 'fuse', 'prune backbone l1 0.5', 'finetune epochs 1'])).join('; ')}` }),
  // Past the limit of 10,000 statements: the rest is not read.
  '40,000 steps on one line': (r) => ({ file: 'monster.cmp', text: `data synth; ${Array.from({ length: 40_000 }, () => r.pick(['eval', 'fuse', 'prune backbone l1 0.5', 'finetune epochs 1'])).join('; ')}` }),
  // About 2.3 bytes a character in UTF-8: 400 K characters stay under 1 MiB.
  'random binary, 400 K characters': (r) => ({ file: 'monster.cmp', text: sized(r, 400 << 10, '', () => String.fromCharCode(r.chance(0.5) ? r.int(256) : r.int(0x10000))) }),
  'unterminated string, 200 KB': (r) => ({ file: 'monster.cmp', text: `model "${sized(r, 200 * 1024, '', () => r.pick(['a', 'b', '/', ' ', '.', '*', '\\\\']))}` }),
  'string of 100,000 bad escapes': () => ({ file: 'monster.cmp', text: `model "${'\\q'.repeat(100_000)}"\n` }),
  // Deep nesting is checked repeatedly: a stack overflow that lands in V8's regular-expression compiler (which
  // happens once a regular expression is recompiled, after many runs) aborts the process instead of throwing.
  '10,000 nested ( in a scope, unclosed': () => ({ file: 'monster.cmp', text: `scope a = ${'('.repeat(10_000)}"x*"\n`, repeat: 10 }),
  '10,000 nested ( in a scope, balanced': () => ({ file: 'monster.cmp', text: `data synth\nscope a = ${'('.repeat(10_000)}"x*"${')'.repeat(10_000)}\nprune a l1 0.5\n`, repeat: 10 }),
  '10,000 ( alone': () => ({ file: 'monster.cmp', text: '('.repeat(10_000) }),
  'a line of 50,000 +': () => ({ file: 'monster.cmp', text: `prune backbone ${'+'.repeat(50_000)} 0.5\n${'+'.repeat(50_000)}\n` }),
  '50,000 criteria joined by +': () => ({ file: 'monster.cmp', text: `data synth\nprune backbone ${Array(50_000).fill('l1').join('+')} 0.5\n` }),
  '100,000 ;': () => ({ file: 'monster.cmp', text: ';'.repeat(100_000) }),
  '100,000 newlines': () => ({ file: 'monster.cmp', text: '\n'.repeat(100_000) }),
  '10,000 options on one step': () => ({ file: 'monster.cmp', text: `data synth\nprune backbone l1 0.5${' round 8'.repeat(10_000)}\n` }),
  'use of itself': () => withFiles({ 'self.cmp': 'use "self.cmp"\nscope a = "x*"\nuse "./self.cmp"\n' }, 'self.cmp'),
  'use cycle through 500 files': () => withFiles(Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`f${i}.cmp`, `use "f${(i + 1) % 500}.cmp"\nscope s${i} = "layer${i}.*"\n`])), 'f0.cmp'),
  'use chain 1,000 files deep': () => withFiles({
    ...Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`f${i}.cmp`, `${i < 999 ? `use "f${i + 1}.cmp"\n` : ''}scope s${i} = "layer${i}.*"\n`])),
    'main.cmp': 'use "f0.cmp"\ndata synth\nprune s998 l1 0.5\n',
  }, 'main.cmp'),
  // Each file uses the next twice: 24 lines of recipe, 2^20 paths through them.
  'use diamond, 20 levels': () => withFiles({
    ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`d${i}.cmp`, i < 19 ? `use "d${i + 1}.cmp"\nuse "d${i + 1}.cmp"\n` : 'scope leaf = "x*"\n'])),
    'main.cmp': 'use "d0.cmp"\ndata synth\nprune leaf l1 0.5\n',
  }, 'main.cmp'),
  // Each scope names the previous one twice: 30 lines, a selector of 2^30 globs once inlined.
  'scope doubling, 30 levels': () => ({
    file: 'monster.cmp',
    text: `data synth\nscope a0 = "x*"\n${Array.from({ length: 30 }, (_, i) => `scope a${i + 1} = a${i}, a${i}\n`).join('')}prune a30 l1 0.5\n`,
  }),
  'YAML: 10,000 nested [': () => ({ file: 'monster.yaml', text: `steps: ${'['.repeat(10_000)}`, repeat: 20 }),
  'YAML: 10,000 nested {': () => ({ file: 'monster.yaml', text: `steps: ${'{a: '.repeat(10_000)}`, repeat: 4 }),
  'YAML: 10,000 nested - on one line': () => ({ file: 'monster.yaml', text: `steps:\n  ${'- '.repeat(10_000)}eval\n`, repeat: 20 }),
  'YAML: 1 MB on one line': (r) => ({ file: 'monster.yaml', text: `model: ${sized(r, UNDER_MB - 10, ' ', () => r.pick([...WORDS, ...YAML_PIECES]))}` }),
  'YAML: 100,000 nested [ on their own lines': () => ({ file: 'monster.yaml', text: `steps:\n${'[\n'.repeat(100_000)}` }),
  'YAML: 100,000 ? keys': () => ({ file: 'monster.yaml', text: `${'? '.repeat(100_000)}a\n` }),
  'YAML: 50,000 top-level keys': () => ({ file: 'monster.yaml', text: Array.from({ length: 50_000 }, (_, i) => `k${i}: 1\n`).join('') }),
  'YAML: alias bomb': () => ({
    file: 'monster.yaml',
    text: `a0: &a0 [eval]\n${Array.from({ length: 20 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}]\n`).join('')}steps: *a20\n`,
  }),
  'YAML: 10,000 steps': () => ({ file: 'monster.yaml', text: `data: {format: synth}\nsteps:\n${'  - eval:\n  - fuse:\n'.repeat(5_000)}` }),
};

/**
 * A valid recipe in the monster's language, of about its length (4 KB to 16 KB, under every limit): what
 * the front end does in linear time, to measure the machine as it is now.
 */
function reference(file: string, length: number): string {
  const size = Math.max(4 << 10, Math.min(16 << 10, length));
  const [head, line] = isYaml(file)
    ? ['data: {format: synth}\nsteps:\n', '  - prune: {scope: backbone, criterion: [l1, bn], amount: 0.5, round: 8}\n  - eval:\n']
    : ['data synth\nscope s = "model.1*" except op Conv, "x*"\n', 'prune s l1+bn 0.5 round 8 # a comment\nfinetune epochs 2 lr 0.01; eval map\n'];
  return head + line.repeat(Math.ceil((size - head.length) / line.length));
}

/**
 * The time of every entry point on the reference (the best of two runs: the first also compiles), measured
 * again when the last measure of that size is more than ten seconds old (the machine's load changes).
 */
function timeReference(file: string, length: number): { ms: number; chars: number } {
  const name = isYaml(file) ? 'reference.yaml' : 'reference.cmp';
  const ref = reference(name, length);
  const key = `${name}:${ref.length}`;
  const known = references.get(key);
  if (known && performance.now() - known.at < 10_000) return known;
  let ms = Infinity;
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    exercise(name, ref, () => {});
    ms = Math.min(ms, performance.now() - t0);
  }
  const measured = { ms, chars: ref.length, at: performance.now() };
  references.set(key, measured);
  return measured;
}
const references = new Map<string, { ms: number; chars: number; at: number }>();

interface MonsterResult { name: string; failures: Failure[]; timings: Timed[]; ms: number }
type ToParent = { ready: true } | { call: string } | { done: MonsterResult };
type ToChild = { run: string };

/** The child side: runs the monsters the parent sends, one at a time, telling it before each call. */
function serveMonsters(): void {
  const send = (m: ToParent): void => { process.send!(m); };
  process.on('message', ({ run: name }: ToChild) => {
    const t0 = performance.now();
    const failures: Failure[] = [];
    const timings: Timed[] = [];
    let m: Monster | undefined;
    try {
      m = MONSTERS[name]!(streamFor(SEED, 1_000_000 + Object.keys(MONSTERS).indexOf(name)));
      const { file, text: input } = m;
      const ref = timeReference(file, input.length);
      const bound = Math.max(MONSTER_MS, SLACK * (ref.ms / ref.chars) * input.length);
      const why = `${SLACK}x the reference's ${ref.ms.toFixed(0)} ms for ${ref.chars} characters, scaled to ${input.length}`;
      const seen = new Set<string>();
      for (let i = 0; i < (m.repeat ?? 1); i++) {
        exercise(file, input, (kind, detail = '') => {
          if (!seen.has(kind)) failures.push({ kind, detail, origin: `monster "${name}"`, file, input });
          seen.add(kind);
        }, { before: (fn) => send({ call: fn }), after: (t) => timings.push(t), skip: () => timings.some((t) => t.ms > bound) });
      }
      for (const t of timings) {
        if (t.ms > bound) failures.push({ kind: `${t.fn} took longer than its bound`, detail: `${t.ms.toFixed(0)} ms, bound ${bound.toFixed(0)} ms (${why})`, origin: `monster "${name}"`, file, input });
      }
    } finally {
      m?.cleanup?.();
    }
    // Inputs of a megabyte are not worth copying back whole.
    for (const f of failures) if (f.input.length > 4000) f.input = `${f.input.slice(0, 2000)}${f.input.slice(-2000)}`;
    send({ done: { name, failures, timings, ms: performance.now() - t0 } });
    send({ ready: true });
  });
  send({ ready: true });
}

/**
 * The parent side: child processes that take monsters from one queue. A call that runs longer than KILL_MS
 * gets its process killed and reported, and a new process goes on with the rest. Processes, not worker
 * threads: terminating a worker in the middle of a regular-expression compilation aborts the whole process
 * (V8: "RegExpCompiler Allocation failed"), and a monster that crashes must not take the suite with it.
 */
class MonsterPool {
  readonly results: MonsterResult[] = [];
  readonly killed: Failure[] = [];
  private readonly queue: string[];
  private alive = 0;
  private resolve!: () => void;
  readonly done = new Promise<void>((r) => { this.resolve = r; });

  /** The children's temporary files go here; removed when all is done. */
  private readonly tmp = mkdtempSync(join(tmpdir(), 'lithe-fuzz-'));

  constructor(names: string[]) {
    this.queue = [...names];
    void this.done.then(() => rmSync(this.tmp, { recursive: true, force: true }));
  }

  /** Starts one more process, if there is work left for it. */
  spawn(): void {
    if (!this.queue.length) return this.settle();
    this.alive++;
    let current: string | undefined;
    let call = 'building the input';
    let timer: NodeJS.Timeout | undefined;
    let why: string | undefined;
    let started = false;
    const child = fork(fileURLToPath(import.meta.url), [], {
      execArgv: ['--import', import.meta.resolve('tsx'), '--max-old-space-size=2048'],
      env: { ...process.env, LITHE_FUZZ_CHILD: '1', LITHE_FUZZ_TMP: this.tmp },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-2000); });
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => { why = `${call} did not return within ${KILL_MS} ms (killed)`; child.kill('SIGKILL'); }, KILL_MS);
    };
    child.on('message', (msg: ToParent) => {
      if ('ready' in msg) {
        started = true;
        clearTimeout(timer);
        current = this.queue.shift();
        if (current === undefined) { child.kill(); return; }
        call = 'building the input';
        arm();
        child.send({ run: current } satisfies ToChild);
      } else if ('call' in msg) {
        call = msg.call;
        arm();
      } else {
        clearTimeout(timer);
        this.results.push(msg.done);
        current = undefined;
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      this.alive--;
      if (current !== undefined) {
        const kind = `monster "${current}": ${why ?? `${call} crashed the process (exit ${code ?? signal})`}`;
        this.killed.push({ kind, detail: stderr.trim() || '(no output)', origin: `monster "${current}"`, file: '', input: '' });
        this.spawn();
      } else if (!started) {
        // It died before taking any work: report it once and give up on the rest rather than loop.
        this.killed.push({ kind: `monster process exited at start (exit ${code ?? signal})`, detail: stderr.trim(), origin: this.queue.join(', '), file: '', input: '' });
        this.queue.length = 0;
      }
      this.settle();
    });
  }

  private settle(): void { if (!this.alive && !this.queue.length) this.resolve(); }
}

// ─── the tests ───────────────────────────────────────────────────────────────────────────────────────────

if (process.env.LITHE_FUZZ_CHILD) {
  serveMonsters();
} else {
  // Started now, so the monsters run on a second core while the mutations run on this one.
  // One process starts on the monsters now, on the second core, while the mutations run on this one; a
  // second joins it once the mutations are done.
  const names = Object.keys(MONSTERS).filter((n) => MONSTER_FILTER.test(n));
  const pool = ONLY === undefined ? new MonsterPool(names) : undefined;
  pool?.spawn();
  const { cmp, yaml } = corpus();

  const fuzz = (label: string, bases: Base[], count: number, salt: number): void => {
    test(`fuzz: ${count} mutations of ${bases.length} ${label} recipes (FUZZ_SEED=${SEED})`, () => {
      assert.ok(bases.length > 0, `no ${label} recipes found`);
      const failures = new Failures();
      const cov = new Coverage();
      const t0 = performance.now();
      for (let i = 0; i < count; i++) {
        if (ONLY !== undefined && ONLY !== salt + i) continue;
        const r = streamFor(SEED, salt + i);
        const base = r.pick(bases);
        const { text, ops } = mutate(base, bases, r);
        const origin = `FUZZ_SEED=${SEED} FUZZ_ONLY=${salt + i}: ${base.file.slice(ROOT.length + 1)} after ${ops.join(', ')}`;
        if (ONLY !== undefined) console.log(`${origin}\ninput: ${JSON.stringify(text)}`);
        exercise(base.file, text, (kind, detail = '') => failures.add({ kind, detail, origin, file: base.file, input: text }), undefined, cov);
      }
      const ms = performance.now() - t0;
      console.log(`fuzz ${label}: ${(ms / 1000).toFixed(1)} s, ${cov.line()}`);
      if (failures.all.length) assert.fail(failures.summary(`fuzz ${label} (FUZZ_SEED=${SEED}, FUZZ_N=${N})`));
    });
  };
  if (ONLY === undefined) test('fuzz: the property checks catch what they should (no vacuous fuzzing)', () => {
    const kinds: string[] = [];
    const report: Report = (kind) => { kinds.push(kind); };
    const at = (a: number, b: number, line = 1): Diagnostic['range'] => ({ start: { line, col: a + 1, offset: a }, end: { line, col: b + 1, offset: b } });
    const d = (code: string, range = at(0, 1), severity = 'error', message = 'm'): Diagnostic => ({ code, severity, message, range }) as Diagnostic;
    checkDiagnostics([d('E1')], 'abc', 't', report);
    checkDiagnostics([d('CMP0001', at(0, 1), 'fatal', ' ')], 'abc', 't', report);
    checkDiagnostics([d('CMP0001', at(2, 1))], 'abc', 't', report);
    checkDiagnostics([d('CMP0001', at(3, 4))], 'abc', 't', report);
    checkDiagnostics([d('CMP0001', at(0, 1, 0))], 'abc', 't', report);
    checkDiagnostics([d('CMP4008')], 'abc', 't', report);
    assert.deepEqual(kinds, [
      't: code does not match CMPdddd', 't CMP0001: bad severity', 't CMP0001: empty message', 't CMP0001: start after end',
      't CMP0001: offset past the end of the text', 't CMP0001: line/col not positive integers',
      't CMP4008: the plan does not match its schema (a rule missed something)',
    ]);
    assert.match(jsonProblem({ a: [1, Number.NaN] }) ?? '', /plan\.a\[1\] is NaN/);
    assert.match(jsonProblem({ a: new Map() }) ?? '', /Map/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.match(jsonProblem(cyclic) ?? '', /cycle/);
    assert.equal(jsonProblem({ a: [1, 'x', null, { b: true }], c: undefined }), undefined);
    // A valid recipe breaks nothing.
    const quick = cmp.find((b) => b.file.endsWith('quickstart.cmp'));
    assert.ok(quick, 'recipes/quickstart.cmp');
    const found: string[] = [];
    exercise(quick.file, quick.text, (kind, detail) => found.push(`${kind}: ${detail}`));
    assert.deepEqual(found, []);
  });

  // Systematic rather than random: every option of every statement, every parameter of every YAML step,
  // with arguments of the wrong shape. The lowering and the lint rules are where a wrong type turns into a
  // crash (a rule calling .forEach on a string) or a plan the schema rejects.
  const sweep = (label: string, file: string, inputs: string[]): void => {
    if (ONLY !== undefined) return;
    test(`fuzz: ${label} (${inputs.length} inputs)`, () => {
      const failures = new Failures();
      const cov = new Coverage();
      for (const text of inputs) {
        exercise(file, text, (kind, detail = '') => failures.add({ kind, detail, origin: label, file, input: text }), undefined, cov);
      }
      console.log(`${label}: ${cov.line()}`);
      if (failures.all.length) assert.fail(failures.summary(label));
    });
  };
  const HEADS: Record<string, string> = {
    prune: 'prune backbone l1 0.5', distill: 'distill from teacher with cls', quantize: 'quantize int8',
    replace: 'replace backbone conv with dsconv', finetune: 'finetune epochs 2', export: 'export onnx', data: 'data synth',
  };
  const ARGS = ['', '7', '"x"', 'x', '0.5', '50%', '3x', '1/16', '416x416', '-1', '1e999', '0', 'x, y', '1, 2, 3', 'map', '"x" except op Conv', 'zoo:a', '2 2', 'map map'];
  sweep('odd arguments for every option of every .cmp statement', join(ROOT, 'recipes/sweep.cmp'), [false, true].flatMap((data) =>
    Object.entries(vocabulary.options).flatMap(([verb, names]) => [...names, 'bogus'].flatMap((o) => ARGS.map((a) =>
      `${data && verb !== 'data' ? 'data synth\n' : ''}${HEADS[verb] ?? verb} ${o} ${a}\n`)))));
  const VALUES = [
    'true', '7', '-1', '0', '"x"', 'null', '[]', '[1, {b: 2}]', '[[l1]]', '{a: 1}', '{flops: true}', '{params: "3x"}',
    '{step: [1], until_map_drop: {}}', '{epochs: x}', '[map, map]', '[cls, cls]', '{scope: 7}', '{op: [Conv]}',
  ];
  const YAML_BASE: Record<string, string> = {
    prune: 'scope: backbone, criterion: l1, amount: 0.5', distill: 'from: teacher, losses: [cls]', quantize: 'precision: int8',
    replace: 'scope: backbone, block: dsconv', finetune: 'epochs: 2', export: 'format: onnx',
  };
  sweep('values of the wrong type for every parameter of every YAML step', join(ROOT, 'recipes/sweep.yaml'), [false, true].flatMap((data) =>
    passes.flatMap((p) => [...Object.keys((p.params as { properties?: object }).properties ?? {}), 'bogus'].flatMap((key) => VALUES.map((v) => {
      const params = (YAML_BASE[p.name] ?? '').split(', ').filter((x) => x && !x.startsWith(`${key}:`));
      return `${data ? 'data: {format: synth}\n' : ''}steps:\n  - ${p.name}: {${[...params, `${key}: ${v}`].join(', ')}}\n`;
    })))));

  fuzz('.cmp', cmp, Math.round(N * 0.75), 0);
  fuzz('YAML', yaml, Math.round(N * 0.25), 10_000_000);

  if (pool) {
    test('fuzz: monsters finish in time and break nothing', async () => {
      pool.spawn();
      await pool.done;
      const { results, killed } = pool;
      const failures = new Failures();
      for (const f of killed) failures.add(f);
      for (const r of results) {
        const slowest = r.timings.reduce((a, b) => (b.ms > a.ms ? b : a), { fn: '-', ms: 0 });
        console.log(`monster ${r.name}: ${r.ms.toFixed(0)} ms (slowest call: ${slowest.fn} ${slowest.ms.toFixed(0)} ms)`);
        for (const f of r.failures) failures.add(f);
      }
      assert.equal(results.length + killed.length, names.length, 'every monster ran');
      if (failures.all.length) assert.fail(failures.summary(`monsters (bound per call: ${SLACK}x the reference's time for its length, at least ${MONSTER_MS} ms)`));
    });
  }
}
