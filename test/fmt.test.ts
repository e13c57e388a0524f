// `lithe fmt` on every .cmp file of the repository: idempotent, keeps every comment, keeps the meaning (the
// same plan, the same diagnostic codes), and refuses a file with syntax errors rather than guess.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from '../src/fmt/format.ts';
import { parse } from '../src/lang/parse.ts';
import { checkText } from '../src/plan/build.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function cmpFiles(): string[] {
  const out: string[] = [];
  for (const dir of ['recipes', 'stdlib']) {
    const d = join(ROOT, dir);
    if (existsSync(d)) out.push(...readdirSync(d).filter((f) => f.endsWith('.cmp')).sort().map((f) => join(d, f)));
  }
  const golden = join(ROOT, 'test/golden');
  for (const c of existsSync(golden) ? readdirSync(golden).sort() : []) {
    const f = join(golden, c, 'input.cmp');
    if (existsSync(f)) out.push(f);
  }
  return out;
}

/** A plan without source positions (and without `source`, the file name). */
function stripPositions(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripPositions);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'range' && k !== 'source').map(([k, x]) => [k, stripPositions(x)]));
  }
  return v;
}

/** The comments of a text, as a sorted multiset (the formatter may trim their trailing blanks). */
const comments = (text: string): string[] => parse(text).comments.map((c) => c.image.trimEnd()).sort();
const syntaxErrors = (text: string) => parse(text).diagnostics.filter((d) => d.code.startsWith('CMP0'));
const codes = (file: string, text: string): string[] => checkText(file, text).diagnostics.map((d) => `${d.severity} ${d.code}`);

const files = cmpFiles();

test('fmt: the corpus is there', () => {
  assert.ok(files.length >= 10, `expected recipes, stdlib and golden inputs, found ${files.length} .cmp files`);
  assert.ok(files.filter((f) => format(readFileSync(f, 'utf8')).ok).length >= 8, 'most of the corpus formats');
});

for (const file of files) {
  const name = relative(ROOT, file);
  const text = readFileSync(file, 'utf8');
  const result = format(text);

  if (!result.ok) {
    test(`fmt ${name}: refused because of syntax errors`, () => {
      assert.ok(syntaxErrors(text).length > 0, `format refused a file without syntax errors: ${JSON.stringify(result.diagnostics)}`);
      assert.ok(result.diagnostics.length > 0);
      for (const d of result.diagnostics) assert.match(d.code, /^CMP0\d{3}$/, `format refused for ${d.code} ${d.message}`);
    });
    continue;
  }

  test(`fmt ${name}: idempotent, keeps comments and meaning`, () => {
    const out = result.text;
    assert.equal(syntaxErrors(text).length, 0, 'format accepted a file with syntax errors');

    const again = format(out);
    assert.ok(again.ok, `the formatted text does not format: ${JSON.stringify(!again.ok && again.diagnostics)}`);
    assert.equal(again.text, out, 'format is not idempotent');
    assert.deepEqual(syntaxErrors(out), [], 'the formatted text has syntax errors');

    assert.deepEqual(comments(out), comments(text), 'a comment was lost or changed');

    // The same file name, so `use` resolves the same way and only the text differs.
    const before = checkText(file, text);
    const after = checkText(file, out);
    assert.deepEqual(stripPositions(after.plan), stripPositions(before.plan), 'format changed the plan');
    assert.deepEqual(codes(file, out), codes(file, text), 'format changed the diagnostics');
  });
}

test('fmt: each golden formatted.cmp is already formatted', () => {
  const golden = join(ROOT, 'test/golden');
  let n = 0;
  for (const c of existsSync(golden) ? readdirSync(golden).sort() : []) {
    const f = join(golden, c, 'formatted.cmp');
    if (!existsSync(f)) continue;
    const text = readFileSync(f, 'utf8');
    const r = format(text);
    assert.ok(r.ok, `${c}/formatted.cmp does not format`);
    assert.equal(r.text, text, `${c}/formatted.cmp is not a fixed point of format`);
    n++;
  }
  assert.ok(n > 0, 'no golden formatted.cmp found');
});

test('fmt: refuses text with syntax errors, with CMP0 diagnostics', () => {
  const broken = [
    'model "models/x.onnx\n', // unterminated string
    'prune backbone l1 0.5 @ round 8\n', // unexpected character
    'prune backbone l1 global\n', // no amount
    'scope s = ("a*", "b*"\ntarget x86\n', // unclosed parenthesis
    'model "models\\q.onnx"\n', // unknown escape
    '0.5 "stray" line\n',
    'distill from teacher with\n',
    '# only a comment, then junk\n)\n',
    'model "a.onnx"\nprune backbone l1', // the error at the end of the file
    'data synth\nscope s = "a*" except\n',
  ];
  for (const text of broken) {
    const r = format(text);
    assert.equal(r.ok, false, `format accepted ${JSON.stringify(text)}`);
    if (r.ok) continue;
    assert.ok(r.diagnostics.length > 0, `no diagnostic for ${JSON.stringify(text)}`);
    for (const d of r.diagnostics) assert.match(d.code, /^CMP0\d{3}$/, `${JSON.stringify(text)}: ${d.code} ${d.message}`);
  }
});

test('fmt: keeps comments everywhere a comment may be', () => {
  const text = [
    '# head',
    'model "a.onnx"   # trailing, after a declaration   ',
    '',
    '',
    '',
    '# before a step',
    'data synth',
    'prune backbone l1+ # inside a continued statement',
    '   bn 0.5',
    'scope s = ("a*", # inside parentheses',
    '  "b*")',
    'eval;;  # after empty statements',
    '#no space',
    '#',
    '# tail',
  ].join('\n');
  const r = format(text);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.diagnostics));
  assert.deepEqual(comments(r.text), comments(text));
  const again = format(r.text);
  assert.ok(again.ok);
  assert.equal(again.text, r.text);
  assert.deepEqual(stripPositions(checkText('x.cmp', r.text).plan), stripPositions(checkText('x.cmp', text).plan));
});
