// The lexer and parser against LANGUAGE.md's lexical rules and statement forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../src/lang/parse.ts';
import type { Literal, StepNode } from '../src/lang/ast.ts';

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
