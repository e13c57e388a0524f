// The lexer and parser against LANGUAGE.md's lexical rules and statement forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../src/lang/parse.ts';
import type { Literal, StepNode } from '../src/lang/ast.ts';
import { KEPT_DIAGNOSTICS, LIMITS } from '../src/lang/limits.ts';
import { lex } from '../src/lang/lexer.ts';

const steps = (text: string) => parse(text).recipe.statements.filter((s): s is StepNode => s.kind === 'step');

test('the one-liner parses verbatim into three steps', () => {
  const r = parse('prune backbone entropy 0.7; distill from teacher with cls+feat+attn; quantize int8 qat');
  assert.deepEqual(r.diagnostics, []);
  const s = steps('prune backbone entropy 0.7; distill from teacher with cls+feat+attn; quantize int8 qat');
  assert.deepEqual(s.map((x) => x.verb.value), ['prune', 'distill', 'quantize']);
  assert.deepEqual(s[1]!.head.losses!.map((l) => l.value), ['cls', 'feat', 'attn']);
  assert.equal(s[2]!.options[0]!.name.value, 'qat');
});

test('a newline ends a statement except inside parentheses or after , and +', () => {
  const text = 'scope a = (\n"x",\n"y"\n)\ndistill from teacher with cls+\nfeat\nscope b = "p",\n"q"\n';
  const r = parse(text);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.recipe.statements.map((s) => s.kind), ['scope', 'step', 'scope']);
});

test('empty statements and comments are allowed', () => {
  const r = parse(';;\n\n# only a comment\n;fuse;;eval # trailing\n');
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(steps(';;\n\n# c\n;fuse;;eval # t\n').map((s) => s.verb.value), ['fuse', 'eval']);
});

test('keywords are contextual: scopes may be called head, data or prune', () => {
  const r = parse('scope data = "d*"\nscope prune = scope data except op Relu\nprune prune l1 0.5\nprune data l1 0.5 keep head');
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(steps('prune prune l1 0.5').map((s) => s.head.scope!.value), ['prune']);
});

test('the five number shapes and strings with escapes', () => {
  const lit = (src: string): Literal => {
    const s = parse(`set lr ${src}`).recipe.statements[0]!;
    assert.equal(s.kind, 'set');
    return (s as { value: Literal }).value;
  };
  assert.deepEqual([lit('7').value, lit('0.7').value, lit('.5').value, lit('1e-4').value], [7, 0.7, 0.5, 1e-4]);
  assert.equal(lit('70%').kind, 'percent');
  assert.equal(lit('70%').value, 0.7);
  assert.equal(lit('3x').kind, 'factor');
  assert.equal(lit('3x').value, 3);
  assert.equal(lit('1/16').value, 1 / 16);
  assert.deepEqual(lit('416x320').value, [416, 320]);
  const m = parse('model "a\\"b\\\\c\\nd"').recipe.statements[0] as { source: { value: string } };
  assert.equal(m.source.value, 'a"b\\c\nd');
});

test('words may contain - (per-channel is one word) and case matters', () => {
  const s = steps('quantize int8 per-channel')[0]!;
  assert.equal(s.options[0]!.name.value, 'per-channel');
  assert.equal(parse('Prune backbone l1 0.5').recipe.statements[0]!.kind, 'unknown');
});

test('ranges count lines and columns from 1', () => {
  const s = steps('\n  prune backbone l1 0.5')[0]!;
  assert.deepEqual([s.range.start.line, s.range.start.col, s.head.scope!.range.start.col], [2, 3, 9]);
});

test('after an error the parser recovers and still reads the next lines', () => {
  const r = parse('prune backbone l1 global\n) ) junk\nquantize int8\n');
  assert.equal(r.diagnostics.length, 2);
  assert.deepEqual(r.recipe.statements.filter((s) => s.kind === 'step' && !s.recovered).map((s) => (s as StepNode).verb.value), ['quantize']);
});

test('zoo references and stdlib uses', () => {
  const r = parse('model zoo:yolov3-tiny\nuse stdlib yolov3\nuse "lib/x.cmp"');
  assert.deepEqual(r.diagnostics, []);
  const [m, u1, u2] = r.recipe.statements as { kind: string; zoo?: boolean; source?: { value: string }; stdlib?: { value: string }; path?: { value: string } }[];
  assert.deepEqual([m!.zoo, m!.source!.value, u1!.stdlib!.value, u2!.path!.value], [true, 'yolov3-tiny', 'yolov3', 'lib/x.cmp']);
});

test('two statements on one line need a ; between them', () => {
  const r = parse('model "a" target x86\nfuse; eval\n');
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.col, d.message]), [
    ['CMP0003', 1, 11, "expected ';' or a newline before 'target'"],
  ]);
  assert.deepEqual(r.recipe.statements.map((s) => s.kind), ['model', 'target', 'step', 'step']);
});

// ── limits (src/lang/limits.ts): each crossed is one diagnostic with a code and a range, in bounded time ──

const codesOf = (text: string): string[] => parse(text).diagnostics.map((d) => d.code);

test('a text over 1 MiB (in UTF-8 bytes) is not lexed: one CMP0007 at the start', () => {
  assert.deepEqual(codesOf(`#${'x'.repeat(LIMITS.fileBytes)}`), ['CMP0007']);
  assert.deepEqual(codesOf(`#${'x'.repeat(LIMITS.fileBytes - 1)}`), []);
  // Characters of three bytes: a third as many characters reach the limit.
  assert.deepEqual(codesOf(`#${'中'.repeat(LIMITS.fileBytes / 3 + 1)}`), ['CMP0007']);
  const d = parse(`#${'x'.repeat(LIMITS.fileBytes)}`).diagnostics[0]!;
  assert.deepEqual([d.range.start.line, d.range.start.col], [1, 1]);
});

test('statements past 10,000 are not read: one CMP0008 at the first of them', () => {
  const r = parse('fuse\n'.repeat(LIMITS.statements) + 'eval;eval\n');
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.col]), [['CMP0008', LIMITS.statements + 1, 1]]);
  assert.equal(r.recipe.statements.length, LIMITS.statements);
  // Empty statements and comments do not count; continuation lines are one statement.
  assert.deepEqual(codesOf(';\n# c\n'.repeat(LIMITS.statements + 5) + 'prune backbone l1+\nbn 0.5\n'), []);
});

test('a string, word or number over 4096 characters is CMP0009 (one), quoted short in later messages', () => {
  const long = 'a'.repeat(LIMITS.tokenChars + 1);
  assert.deepEqual(codesOf(`model "${long}"\n`), ['CMP0009']);
  assert.deepEqual(codesOf(`model "${'a'.repeat(LIMITS.tokenChars)}"\n`), []);
  const word = parse(`${long}\n`);
  assert.equal(word.diagnostics[0]!.code, 'CMP0009');
  assert.ok((word.recipe.statements[0] as { word: { value: string } }).word.value.length <= 64);
  assert.deepEqual(codesOf(`set lr ${'9'.repeat(LIMITS.tokenChars + 1)}\n`), ['CMP0009']);
  // A 4 MiB string would be over the size limit first; at the limit, the lexer's patterns still match it.
  assert.deepEqual(codesOf(`model "${'a'.repeat(LIMITS.fileBytes - 10)}"`), ['CMP0009']);
});

test('a thousand bad escapes are counted, not kept: the problems kept stay bounded', () => {
  const r = parse(`model "${'\\q'.repeat(2000)}"\n`.repeat(10));
  assert.ok(r.diagnostics.length <= KEPT_DIAGNOSTICS);
  assert.equal(r.diagnostics.length + r.omitted, 10 * 2000, 'every problem is kept or counted');
});

test('a byte-order mark at the start is read as a space; elsewhere it is a stray character', () => {
  const r = parse('\ufeffdata synth\nfuse\n');
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.recipe.statements.map((s) => s.kind), ['data', 'step']);
  assert.equal(r.recipe.statements[0]!.range.start.col, 2);
  assert.deepEqual(codesOf('fuse\n\ufeffeval\n'), ['CMP0001']);
});

test('the lexer never throws: a 50 MB string (past every check before it) is a diagnostic', () => {
  const r = lex(`model "${'a'.repeat(50_000_000)}"\n`);
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['CMP0009']);
});
