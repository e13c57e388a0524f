// The plan: schema assembled from the registry, generated files up to date, YAML and .cmp identical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { LIMITS } from '../src/lang/limits.ts';
import { checkText } from '../src/plan/build.ts';
import { validatePlan } from '../src/plan/schema.ts';
import { passes } from '../src/passes/registry.ts';
import { rules } from '../src/plan/rules/registry.ts';
import { criteria } from '../src/passes/prune/criteria/registry.ts';
import { planSchemaText } from '../scripts/plan-schema.ts';
import { diagnosticsDoc } from '../scripts/diagnostics-doc.ts';
import { unrunnable } from '../src/run/run.ts';

const sorted = (xs: string[]) => assert.deepEqual(xs, [...xs].sort());

test('registries are sorted lists', () => {
  sorted(passes.map((p) => p.name));
  sorted(rules.map((r) => r.id));
  sorted(criteria.map((c) => c.id));
  for (const p of passes) sorted(p.options.map((o) => o.name));
});

test('every pass has full metadata', () => {
  for (const p of passes) {
    assert.ok(p.summary && p.docs && p.syntax.startsWith(p.name), p.name);
    assert.equal((p.params as { type: string }).type, 'object');
    for (const o of p.options) assert.ok(o.summary, `${p.name} ${o.name}`);
  }
});

test('plan.schema.json is the schema assembled from the passes', () => {
  assert.equal(readFileSync('plan.schema.json', 'utf8'), planSchemaText());
});

test('grammar/diagnostics.md is up to date', () => {
  assert.equal(readFileSync('grammar/diagnostics.md', 'utf8'), diagnosticsDoc());
});

test('a checked plan validates against plan.schema.json, and a broken one does not', () => {
  const { plan } = checkText('q.cmp', 'data synth\nprune backbone l1 0.5 round 8\nquantize int8\n');
  assert.ok(plan);
  assert.deepEqual(validatePlan(plan), []);
  const broken = structuredClone(plan) as { steps: { params: Record<string, unknown> }[] };
  broken.steps[0]!.params.amount = 2;
  assert.notDeepEqual(validatePlan(broken), []);
});

test('set is positional: a later set changes only later steps', () => {
  const { plan } = checkText('s.cmp', 'data synth\nset epochs 2\nfinetune\nset epochs 5\nfinetune\n');
  assert.deepEqual(plan!.steps.map((s) => s.params.epochs), [2, 5]);
  assert.deepEqual(plan!.steps.map((s) => s.defaults.epochs), ['set epochs', 'set epochs']);
});

test('the target gives defaults; --target overrides the recipe', () => {
  const text = 'target x86\nprune backbone l1 0.5\n';
  assert.equal(checkText('t.cmp', text).plan!.steps[0]!.params.round, 8);
  assert.equal(checkText('t.cmp', text, { target: 'kirin990' }).plan!.steps[0]!.params.round, 16);
  assert.equal(checkText('t.cmp', text, { target: 'tx9' }).diagnostics[0]!.code, 'CMP1006');
});

test('a zoo model brings its stdlib profile for the built-in scopes', () => {
  const { plan } = checkText('z.cmp', 'model zoo:yolov3-tiny\n');
  assert.equal(plan!.profile, 'yolov3-tiny');
  assert.ok('selector' in plan!.scopes.backbone!);
  assert.equal(checkText('f.cmp', 'model "x.onnx"\n').plan!.scopes.backbone!.hasOwnProperty('inferred'), true);
});

test('steps whose pass cannot execute yet are named, with their line, before a run starts', () => {
  const { plan } = checkText('r.cmp', 'model zoo:yolov3-tiny\nteacher zoo:yolov3 as big\ndata synth\nfuse\nreplace backbone conv with mbconv expand 1.5\nquantize int8 qat\nexport mslite "m"\n');
  assert.deepEqual(unrunnable(plan!), ['step 2 (replace, line 5): expand 1.5: this version expands by whole numbers only']);
});

test('prune\'s finetune takes epochs and an optional lr; anything else is CMP1008 at its word', () => {
  const ok = checkText('f.cmp', 'data synth\nprune backbone l1 25% step 1/16 until map drop 0.5% finetune epochs 1 lr 0.001\n');
  assert.deepEqual(ok.diagnostics, []);
  assert.deepEqual(ok.plan!.steps[0]!.params.finetune, { epochs: 1, lr: 0.001 });
  assert.deepEqual(checkText('f.cmp', 'data synth\nprune backbone l1 0.5 finetune epochs 2\n').plan!.steps[0]!.params.finetune, { epochs: 2 });
  const bad = checkText('f.cmp', 'data synth\nprune backbone l1 0.5 finetune epochs 1 rate 3\nprune backbone l1 0.5 finetune epochs 1 lr\n').diagnostics;
  assert.deepEqual(bad.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.col} ${d.message}`), [
    "CMP1008 2:41 finetune takes epochs N [lr X]; unexpected 'rate'",
    'CMP1008 3:23 finetune expects epochs N lr X',
  ]);
});

test('qat\'s options: epochs, lr and learn-scales belong to qat (CMP4007 elsewhere); epochs defaults to 3, lr to set lr', () => {
  const q = checkText('q.cmp', 'data synth\nset lr 0.002\nquantize int8 qat learn-scales\n');
  assert.deepEqual(q.diagnostics, []);
  assert.deepEqual({ ...q.plan!.steps[0]!.params }, { precision: 'int8', mode: 'qat', learn_scales: true, epochs: 3, lr: 0.002 });
  const ptq = checkText('p.cmp', 'data synth\nquantize int8 lr 0.1 learn-scales epochs 2 distill\n').diagnostics;
  assert.deepEqual(ptq.map((d) => `${d.code} ${d.message}`), ['CMP4007 lr applies to qat only', 'CMP4007 learn-scales applies to qat only', 'CMP4007 epochs applies to qat only', 'CMP4007 distill applies to qat only']);
  const yaml = checkText('y.yaml', 'data: {format: synth}\nsteps:\n  - quantize: {precision: int8, mode: qat, learn_scales: true, lr: 0.01, epochs: 2}\n');
  assert.deepEqual(yaml.diagnostics, []);
  assert.deepEqual({ ...yaml.plan!.steps[0]!.params }, { precision: 'int8', mode: 'qat', learn_scales: true, lr: 0.01, epochs: 2 });
});

// ── names, numbers and paths a hostile recipe may hold (issue 12) ──

const codes = (file: string, text: string, opts = {}): string[] => checkText(file, text, opts).diagnostics.map((d) => d.code);

test('__proto__, constructor, toString and hasOwnProperty are ordinary scope and teacher names', () => {
  const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
  const cmp = `data synth\n${names.map((n, i) => `scope ${n} = "l${i}*"\nteacher "t${i}.onnx" as ${n}\n`).join('')}${names.map((n) => `prune ${n} l1 0.5\ndistill from ${n} with cls\n`).join('')}`;
  const { plan, diagnostics } = checkText('p.cmp', cmp);
  // the teachers' files are not there (CMP3013) and distill cannot run yet (CMP4012): warnings about the files and the engine, not the names
  assert.deepEqual(diagnostics.filter((d) => !['CMP3013', 'CMP4012'].includes(d.code)), []);
  assert.deepEqual(names.map((n) => Object.hasOwn(plan!.scopes, n) && 'selector' in plan!.scopes[n]!), [true, true, true, true]);
  assert.deepEqual(Object.keys(plan!.teachers), names);
  assert.deepEqual(validatePlan(JSON.parse(JSON.stringify(plan))), []);
  const yaml = `data: {format: synth}\nscopes: {${names.map((n, i) => `${n}: "l${i}*"`).join(', ')}}\nteachers: {${names.map((n, i) => `${n}: t${i}.onnx`).join(', ')}}\nsteps:\n${names.map((n) => `  - prune: {scope: ${n}, criterion: l1, amount: 0.5}\n`).join('')}`;
  const y = checkText('p.yaml', yaml);
  assert.deepEqual(y.diagnostics.filter((d) => d.code !== 'CMP3013'), []);
  assert.deepEqual(Object.keys(y.plan!.teachers), names);
  // A user's word where lithe has fixed keys is unknown, with the usual message, at its own place.
  assert.deepEqual(codes('k.yaml', 'data: {format: synth, __proto__: 1}\nset: {constructor: 2}\nsteps:\n  - fuse: {__proto__: {a: 1}}\n'), ['CMP1007', 'CMP1010', 'CMP1007']);
  assert.deepEqual(codes('k.cmp', 'set __proto__ 1\nset toString 2\n'), ['CMP1010', 'CMP1010']);
});

test('every number has a bound the message states; past it, CMP2003 at the value', () => {
  const diag = (text: string) => checkText('b.cmp', `data synth\n${text}\n`).diagnostics.map((d) => `${d.code} ${d.range.start.col} ${d.message}`);
  assert.deepEqual(diag('finetune epochs 99999999999999999999999999'), ['CMP2003 10 epochs must be <= 10000; found 1e+26']);
  assert.deepEqual(diag('prune backbone l1 0.5 round 1e308'), ['CMP2003 23 round must be <= 1024; found 1e+308']);
  assert.deepEqual(diag('finetune epochs 1e999'), ['CMP2003 10 epochs is too large a number (at most 10000)']);
  const absurd = [
    'prune backbone l1 params 1e6x', 'prune backbone l1 0.5 min 1e9', 'finetune epochs 2 lr 100', 'finetune epochs 2 batch 1e6',
    'distill from teacher with cls epochs 1e7', 'distill from teacher with cls temperature 1e9', 'distill from teacher with cls weight cls 1e9',
    'quantize int8 calib 1e9', 'quantize int8 method percentile 1e9', 'quantize int8 qat epochs 1e9',
    'replace backbone conv with mbconv expand 1e9', 'replace backbone conv with mbconv se 2',
    'prune backbone l1 0.5 finetune epochs 1e9', 'set lr 1e3', 'set batch 1e9', 'set workers 1000', 'set imgsz 1e5', 'set epochs 1e9',
    'set calib 1e9', 'set seed 1e12',
  ];
  for (const text of absurd) {
    const ds = checkText('b.cmp', `data synth\n${text}\n`).diagnostics.filter((d) => d.severity === 'error');
    assert.equal(ds.length, 1, `${text}: ${JSON.stringify(ds.map((d) => d.message))}`);
    assert.equal(ds[0]!.code, 'CMP2003', `${text}: ${ds[0]!.message}`);
    assert.match(ds[0]!.message, /at most|<=/, text);
  }
  assert.deepEqual(codes('d.cmp', 'data synth seed 1e12 images 1e9 calib 1e9\ninput 99999\n'), ['CMP2003', 'CMP2003', 'CMP2003', 'CMP2005']);
  assert.deepEqual(codes('k.cmp', `replace backbone conv with dsconv kernel ${Array(2000).fill(3).join(', ')}\n`), ['CMP2003']);
  // At the bounds: fine.
  assert.deepEqual(codes('ok.cmp', 'data synth seed 4294967295 images 100000\nset lr 10\nfinetune epochs 10000 batch 4096\nprune backbone l1 0.5 round 1024\n'), []);
  // YAML numbers meet the same bounds; .inf and .nan are no numbers.
  assert.deepEqual(codes('b.yaml', 'data: {format: synth}\nsteps:\n  - finetune: {epochs: 1e26}\n  - finetune: {epochs: .inf}\n  - finetune: {epochs: 2, lr: .nan}\n'), ['CMP2003', 'CMP2003', 'CMP2003']);
});

test('a criterion or loss named twice is CMP2007, once per list, however long the list', () => {
  const d = checkText('c.cmp', `data synth\nprune backbone ${Array(100_000).fill('l1').join('+')} 0.5\n`).diagnostics;
  assert.deepEqual(d.map((x) => [x.code, x.range.start.col]), [['CMP2007', 19]]);
  assert.deepEqual(codes('c.cmp', 'data synth\ndistill from teacher with cls+feat+cls\n'), ['CMP2007']);
  assert.deepEqual(codes('c.yaml', 'data: {format: synth}\nsteps:\n  - prune: {scope: backbone, criterion: [l1, bn, l1], amount: 0.5}\n'), ['CMP2007']);
});

test('a path with a NUL byte, a newline or another control character is CMP2006 at check time', () => {
  assert.deepEqual(codes('n.cmp', 'export onnx "a\u0000b"\nexport onnx "x\\ny.onnx"\nmodel "m\u0001.onnx"\nteacher "t\u0000" as big\ndata coco "c\tx.json" val "v\u0000"\nuse "u\u0000.cmp"\n'),
    Array(7).fill('CMP2006'));
  assert.deepEqual(codes('n.cmp', 'fuse\n', { model: 'm\u0000.onnx' }), ['CMP2006']);
  assert.deepEqual(codes('n.yaml', 'model: "m\\0.onnx"\nsteps:\n  - export: {format: onnx, path: "a\\nb"}\n'), ['CMP2006', 'CMP2006']);
});

test('export over the model, a teacher, the recipe or a used file is CMP3012 (paths, symlinks, hard links)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-export-'));
  writeFileSync(join(dir, 'm.onnx'), 'x');
  writeFileSync(join(dir, 't.onnx'), 'x');
  writeFileSync(join(dir, 'lib.cmp'), 'scope s = "x*"\n');
  symlinkSync(join(dir, 'm.onnx'), join(dir, 'link.onnx'));
  linkSync(join(dir, 'm.onnx'), join(dir, 'hard.onnx'));
  const recipe = join(dir, 'r.cmp');
  const text = [
    `model "${join(dir, 'm.onnx')}"`, `teacher "${join(dir, 't.onnx')}" as big`, 'use "lib.cmp"',
    `export onnx "${join(dir, 'm.onnx')}"`, `export onnx "${dir}/./m.onnx"`, `export onnx "${join(dir, 'link.onnx')}"`, `export onnx "${join(dir, 'hard.onnx')}"`,
    `export onnx "${join(dir, 't.onnx')}"`, `export onnx "${recipe}"`, `export onnx "${join(dir, 'lib.cmp')}"`, `export onnx "${join(dir, 'out.onnx')}"`,
  ].join('\n');
  const ds = checkText(recipe, `${text}\n`).diagnostics;
  assert.deepEqual(ds.map((d) => `${d.code} ${d.range.start.line}`), [4, 5, 6, 7, 8, 9, 10].map((l) => `CMP3012 ${l}`));
  assert.match(ds[0]!.message, /would overwrite the input model/);
  assert.match(ds[4]!.message, /teacher 'big'/);
  assert.match(ds[5]!.message, /the recipe/);
  assert.match(ds[6]!.message, /used file/);
  // --model names the input model too; relative paths resolve against the working directory, as at run time.
  // (models/a.onnx is not there: a CMP3013 warning besides)
  assert.deepEqual(codes('x.cmp', 'export onnx "models/a.onnx"\n', { model: './models/a.onnx' }), ['CMP3013', 'CMP3012']);
});

test('use: a FIFO or a device is a diagnostic (not a hang); chains and counts are bounded (CMP3011)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-use-'));
  execFileSync('mkfifo', [join(dir, 'pipe.cmp')]);
  symlinkSync('/dev/zero', join(dir, 'zero.cmp'));
  mkdirSync(join(dir, 'folder.cmp'));
  const ds = checkText(join(dir, 'r.cmp'), 'use "pipe.cmp"\nuse "zero.cmp"\nuse "folder.cmp"\n').diagnostics;
  assert.deepEqual(ds.map((d) => d.code), ['CMP3005', 'CMP3004', 'CMP3005']);
  assert.match(ds[0]!.message, /FIFO/);
  for (let i = 0; i < 40; i++) writeFileSync(join(dir, `c${i}.cmp`), `${i < 39 ? `use "c${i + 1}.cmp"\n` : ''}scope s${i} = "x*"\n`);
  const deep = checkText(join(dir, 'deep.cmp'), 'use "c0.cmp"\n').diagnostics;
  assert.deepEqual(deep.map((d) => [d.code, d.file]), [['CMP3011', relative(process.cwd(), join(dir, `c${LIMITS.useDepth - 1}.cmp`))]]);
  for (let i = 0; i < 70; i++) writeFileSync(join(dir, `w${i}.cmp`), `scope w${i} = "x*"\n`);
  const wide = checkText(join(dir, 'wide.cmp'), Array.from({ length: 70 }, (_, i) => `use "w${i}.cmp"\n`).join('')).diagnostics;
  assert.deepEqual(wide.map((d) => [d.code, d.range.start.line]), Array.from({ length: 70 - LIMITS.useFiles }, (_, i) => ['CMP3011', LIMITS.useFiles + 1 + i]));
  // Files each under the size limit, together past 4 Mi characters: the one that passes it is not read.
  for (let i = 0; i < 5; i++) writeFileSync(join(dir, `m${i}.cmp`), `scope m${i} = "x*"\n#${'x'.repeat(LIMITS.fileBytes - 100)}\n`);
  const mass = checkText(join(dir, 'mass.cmp'), Array.from({ length: 5 }, (_, i) => `use "m${i}.cmp"\n`).join('')).diagnostics;
  assert.deepEqual(mass.map((d) => [d.code, d.range.start.line]), [['CMP3011', 5]]);
  // A used file over the size limit: its CMP0007, in that file.
  writeFileSync(join(dir, 'big.cmp'), `#${'x'.repeat(LIMITS.fileBytes + 10)}`);
  assert.deepEqual(checkText(join(dir, 'b.cmp'), 'use "big.cmp"\n').diagnostics.map((d) => [d.code, d.file]), [['CMP0007', relative(process.cwd(), join(dir, 'big.cmp'))]]);
});

test('YAML nesting is measured as YAML reads it: flow brackets, ? keys, - - -, behind quotes and comments', () => {
  const deep = [
    `steps: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, `steps: [a', ${'['.repeat(100_000)}\n`,
    `steps: [a#, ${'['.repeat(100_000)}\n`, `${'? '.repeat(100_000)}a\n`, `steps:\n  ${'- '.repeat(100_000)}eval\n`, `steps: ${'{a: '.repeat(100_000)}\n`,
    Array.from({ length: 100 }, (_, i) => `${' '.repeat(i)}a${i}:`).join('\n'),
  ];
  for (const text of deep) assert.deepEqual(codes('d.yaml', text), ['CMP0006'], text.slice(0, 40));
  assert.deepEqual(codes('ok.yaml', `scopes: {a: ${'['.repeat(30)}"x*"${']'.repeat(30)}}\n`), []);
  // In a comment (` #`), or a quoted string, brackets are text.
  assert.deepEqual(codes('c.yaml', `steps: [] # ${'['.repeat(1000)}\nscopes: {a: "${'['.repeat(1000)}"}\n`), []);
});

test('the problems shown are capped at 200, the rest counted exactly (CMP0005), with memory bounded', () => {
  const ds = checkText('many.cmp', 'prun backbone l1 0.5\n'.repeat(5000)).diagnostics;
  assert.equal(ds.length, LIMITS.diagnostics + 1);
  assert.deepEqual([ds.at(-1)!.code, ds.at(-1)!.message], ['CMP0005', `${5000 - LIMITS.diagnostics} more problems not shown`]);
  const junk = checkText('junk.cmp', '@ '.repeat(300_000)).diagnostics;
  assert.deepEqual([junk.length, junk.at(-1)!.message], [LIMITS.diagnostics + 1, `${300_000 - LIMITS.diagnostics} more problems not shown`]);
});
