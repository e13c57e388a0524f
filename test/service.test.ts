// The language service (src/service/) called directly, as the REPL calls it: one checker for every client,
// vocabularies read from the registries, the analysis cache, and the features on incomplete text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as service from '../src/service/index.ts';
import { checkText } from '../src/plan/build.ts';
import { passes } from '../src/passes/registry.ts';
import { criteria } from '../src/passes/prune/criteria/registry.ts';
import { losses } from '../src/passes/distill/losses/registry.ts';
import { blocks } from '../src/passes/replace/blocks/registry.ts';
import { methods } from '../src/passes/quantize/calibrate/registry.ts';
import { listTargets } from '../src/targets/load.ts';
import { format } from '../src/fmt/format.ts';
import { bigRecipe } from './support/big-recipe.ts';
import { markers } from './support/lsp-golden.ts';

const labels = (text: string, file = 'recipes/t.cmp'): string[] => {
  const { text: t, at } = markers(text);
  return service.complete(t, at.get('1')!, file, new service.Workspace()).map((i) => i.label);
};

test('one checker: the service gives what checkText gives, for every worked recipe (.cmp and YAML)', () => {
  for (const f of readdirSync('recipes').sort()) {
    const file = join('recipes', f);
    const text = readFileSync(file, 'utf8');
    assert.deepEqual(service.diagnostics(file, text, {}, new service.Workspace()), checkText(file, text).diagnostics, file);
  }
});

test('the vocabularies come from the registries', () => {
  assert.deepEqual(labels('$1').filter((l) => passes.some((p) => p.name === l)), passes.map((p) => p.name));
  assert.deepEqual(labels('prune $1'), ['all', 'backbone', 'head', 'neck']);
  assert.deepEqual(labels('prune all l1+$1'), criteria.map((c) => c.id));
  assert.deepEqual(labels('distill from teacher with $1'), losses.map((l) => l.id));
  assert.deepEqual(labels('replace all conv with $1'), blocks.map((b) => b.id));
  assert.deepEqual(labels('quantize int8 method $1'), methods.map((m) => m.id));
  assert.deepEqual(labels('target $1'), listTargets());
  // A pass with no head words: its options come straight after the verb.
  for (const p of passes.filter((x) => !x.head.length)) assert.deepEqual(labels(`${p.name} $1`), p.options.map((o) => o.name), p.name);
});

test('completion filters by the word being typed and says what it replaces', () => {
  const { text, at } = markers('prune backbone ent$1');
  const items = service.complete(text, at.get('1')!, 'x.cmp');
  assert.deepEqual(items.map((i) => i.label), ['entropy']);
  assert.deepEqual([items[0]!.range!.start.offset, items[0]!.range!.end.offset], [15, 18]);
  assert.deepEqual(labels('prune backbone l1 0.5 ro$1'), ['round']);
  assert.deepEqual(labels('quan$1'), ['quantize']);
});

test('completion on statements that go on over lines, and in selectors', () => {
  assert.deepEqual(labels('prune backbone l1+\n  $1'), criteria.map((c) => c.id));
  assert.ok(labels('scope a = "x*",\n  $1').includes('backbone'));
  assert.ok(labels('scope a = ( op $1').includes('Conv'));
  assert.ok(labels('scope mine = "x*"\nscope a = ("x*"\n  except $1)').includes('mine'), 'inside parentheses opened on an earlier line');
  assert.ok(labels('scope mine = "x*"\nprune m$1').includes('mine'));
  assert.deepEqual(labels('scope mine = "x*"\nprune backbone l1 0.5 keep mine $1'), ['except', ...passes.find((p) => p.name === 'prune')!.options.map((o) => o.name).filter((o) => o !== 'keep')]);
});

test('declared teachers and scopes of used files complete; file names complete inside strings', () => {
  assert.deepEqual(labels('teacher "a.onnx" as big\ndistill from $1'), ['big', 'teacher']);
  assert.ok(labels('use "../test/data/lsp/definition/lib.cmp"\nprune $1').includes('from_lib'));
  assert.deepEqual(labels('use "../test/data/lsp/definition/li$1'), ['lib.cmp']);
  assert.deepEqual(labels('model "../models/sha$1'), ['shapes-yolo.onnx']);
});

test('hover and definition', () => {
  const ws = new service.Workspace();
  const { text, at } = markers('scope mine = "x*"\nprune m$1ine l$2 0.5\nquantize int8 $3qat');
  const fixed = text.replace('l 0.5', 'l1 0.5');
  assert.match(service.hover(fixed, at.get('1')!, 'r.cmp', ws)!.markdown, /scope mine.*"x\*"/);
  assert.match(service.hover(fixed, at.get('2')!, 'r.cmp', ws)!.markdown, /criterion l1/);
  assert.match(service.hover(fixed, at.get('3')! + 1, 'r.cmp', ws)!.markdown, /qat.*Quantization-aware/);
  assert.deepEqual(service.definition(fixed, at.get('1')!, 'r.cmp', ws).map((l) => l.range.start), [{ line: 1, col: 7, offset: 6 }]);
});

test('the analysis is cached across edits and across used files, and a used buffer invalidates it', () => {
  const ws = new service.Workspace();
  const file = 'test/data/lsp/use/input.cmp';
  const text = readFileSync(file, 'utf8');
  const a = ws.analyze(file, text);
  assert.equal(ws.analyze(file, text), a, 'the same text: the same analysis');
  assert.ok(a.result.diagnostics.some((d) => d.code === 'CMP3009'));
  const lib = 'test/data/lsp/use/lib.cmp';
  const before = ws.parse(readFileSync(lib, 'utf8'));
  ws.analyze(file, `${text}\n# an edit\n`);
  assert.equal(ws.parse(readFileSync(lib, 'utf8')), before, 'an edit of the recipe does not reparse the file it uses');
  ws.open(lib, 'scope from_lib = op Conv\n');
  const b = ws.analyze(file, text);
  assert.notEqual(b, a);
  assert.ok(!b.result.diagnostics.some((d) => d.code === 'CMP3009'), 'the used file is read from its buffer');
  assert.deepEqual(ws.dependents(lib), [b.file]);
});

test('formatting gives lithe fmt\'s text, and every quick fix applied removes its diagnostic', () => {
  const text = 'model "m.onnx"\ntarget  tx2\ndata synth\nprune backbone entropi 0.5 round 6;quantize int8 methd mse\n';
  const r = service.format(text);
  assert.ok('edits' in r);
  let out = text;
  for (const e of [...r.edits].reverse()) out = out.slice(0, e.range.start.offset) + e.text + out.slice(e.range.end.offset);
  assert.equal(out, (format(text) as { text: string }).text);
  const ws = new service.Workspace();
  const all = { start: { line: 1, col: 1, offset: 0 }, end: { line: 9, col: 1, offset: text.length } };
  const actions = service.codeActions(text, all, 'recipes/f.cmp', {}, ws);
  assert.deepEqual(actions.map((a) => a.code).sort(), ['CMP1002', 'CMP1007', 'CMP4004', 'CMP4005']);
  let fixed = text;
  for (const a of [...actions].sort((x, y) => y.edit.range.start.offset - x.edit.range.start.offset)) {
    fixed = fixed.slice(0, a.edit.range.start.offset) + a.edit.text + fixed.slice(a.edit.range.end.offset);
  }
  assert.equal(fixed, 'model "m.onnx"\ntarget  tx2\ndata synth\nprune backbone entropy 0.5 round 8;quantize fp16 method mse\n');
  assert.deepEqual(service.codeActions(fixed, all, 'recipes/f.cmp', {}, ws), []);
});

test('document symbols: declarations by name, steps numbered', () => {
  const syms = service.documentSymbols('model "m.onnx"\nscope a = "x*"\nset lr 0.1\nprune a l1 0.5; fuse\n', 'r.cmp', new service.Workspace());
  assert.deepEqual(syms.map((s) => `${s.kind}:${s.name}`), ['model:model', 'scope:a', 'set:set lr', 'step:1. prune', 'step:2. fuse']);
});

test('YAML recipes get diagnostics; the word features answer nothing there rather than guessing', () => {
  const text = 'model: zoo:yolov3-tiny\nsteps:\n  - prune: {scope: backbone, criterion: entropi, amount: 0.5}\n';
  assert.deepEqual(service.diagnostics('r.yaml', text, {}, new service.Workspace()).map((d) => d.code), ['CMP1002']);
  assert.deepEqual(service.complete(text, 10, 'r.yaml'), []);
  assert.equal(service.hover(text, 10, 'r.yaml'), undefined);
});

test('no input breaks a feature: every offset of broken recipes answers', () => {
  const ws = new service.Workspace();
  const texts = ['prune', 'prune (', 'scope = ,', '"unterminated', 'distill from with +', 'quantize int8 method', 'use stdlib', 'prune a l1 0.5 keep (("x" except', '\u{1F600} model', ''];
  for (const text of texts) {
    for (let i = 0; i <= text.length; i++) {
      service.complete(text, i, 'b.cmp', ws);
      service.hover(text, i, 'b.cmp', ws);
      service.definition(text, i, 'b.cmp', ws);
    }
    service.documentSymbols(text, 'b.cmp', ws);
  }
});

test('completion and hover stay fast on a 2,000-line recipe (a generous bound: the machine may be loaded)', () => {
  const ws = new service.Workspace();
  const { text, at } = markers(bigRecipe(2000));
  ws.analyze('big.cmp', text);
  const t0 = performance.now();
  const items = service.complete(text, at.get('1')!, 'big.cmp', ws);
  const t1 = performance.now();
  const h = service.hover(text, at.get('2')!, 'big.cmp', ws);
  const t2 = performance.now();
  assert.ok(items.length > 0 && h);
  assert.ok(t1 - t0 < 1000 && t2 - t1 < 1000, `completion ${t1 - t0} ms, hover ${t2 - t1} ms`);
});

test('a new pass is one folder plus one registry line: the language names no verb, no head word of a pass', () => {
  // (A head's roles, `scope`, `from`, `criteria`, ..., are the AST's keys, shared by every pass.)
  const roles = new Set(passes.flatMap((p) => p.head.flatMap((h) => ('role' in h ? [h.role] : []))));
  const words = passes.flatMap((p) => [p.name, ...p.head.flatMap((h) => ('word' in h ? [h.word] : []))]).filter((w) => !roles.has(w as never));
  for (const f of ['tokens.ts', 'parser.ts', 'ast.ts', 'visitor.ts', 'parse.ts']) {
    const src = readFileSync(join('src/lang', f), 'utf8');
    for (const w of words) assert.ok(!src.includes(`'${w}'`), `src/lang/${f} names '${w}'`);
  }
});

test('completion offers the options still valid at that point', () => {
  const all = passes.find((p) => p.name === 'quantize')!.options.map((o) => o.name);
  const left = labels('quantize int8 qat per-tensor epochs 2 $1');
  assert.deepEqual(left, all.filter((o) => !['qat', 'ptq', 'per-tensor', 'per-channel', 'epochs'].includes(o)));
  assert.ok(labels('distill from teacher with cls+feat weight feat 2 $1').includes('weight'), 'weight may be given once per loss');
});

test('the node at an offset, as plain data', () => {
  const text = 'prune backbone l1+bn 0.5  keep "x*"\n';
  const at = (w: string) => service.nodeAt(text, text.indexOf(w) + 1);
  assert.deepEqual([at('prune')?.what, at('prune')?.statement], ['verb', 'prune']);
  assert.deepEqual([at('backbone')?.what, at('backbone')?.role], ['role', 'scope']);
  assert.deepEqual([at('bn')?.role, at('0.5')?.role], ['criteria', 'amount']);
  assert.deepEqual([at('keep')?.what, at('keep')?.option, at('"x*"')?.what], ['option', 'keep', 'selector']);
  assert.equal(service.nodeAt(text, text.indexOf('0.5') + 4), undefined, 'between words');
});
