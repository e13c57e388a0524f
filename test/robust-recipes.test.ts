// The recipe corpus (test/support/robust/recipes.ts) through the CLI: every hostile recipe refused with a
// diagnostic or an error naming it (verdict `named`), every valid one accepted (`ok`); never an internal
// error, a hang or a wrong success. Then the limits' promise: on inputs at the limits the checker's work is
// bounded (what it keeps, what it reads), which is what keeps its time and memory bounded on any machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { recipeCases, recipeCasesHeavy } from './support/robust/recipes.ts';
import { runCase } from './support/robust/run-case.ts';
import { checkText } from '../src/plan/build.ts';
import { parse } from '../src/lang/parse.ts';
import { readYaml } from '../src/yaml/read.ts';
import { format } from '../src/fmt/format.ts';
import { isPinned, KEPT_DIAGNOSTICS, LIMITS } from '../src/lang/limits.ts';

test('the recipe corpus: names are unique, heavy cases apart', () => {
  const names = recipeCases.map((c) => c.name);
  assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), []);
  assert.ok(recipeCases.every((c) => c.kind === 'recipe'));
  assert.ok(recipeCasesHeavy.length > 0 && recipeCasesHeavy.every((c) => c.subprocess));
});

for (const c of recipeCases) {
  test(`recipe: ${c.name} (${c.expect === 'fail' ? 'refused, named' : 'accepted'})`, { timeout: 120_000 }, async () => {
    const r = await runCase(c, 60_000);
    try {
      assert.equal(r.verdict, c.expect === 'fail' ? 'named' : 'ok', r.why ?? (r.outcome === 'hang' ? 'hang' : `exit ${r.outcome.code}: ${r.outcome.err.slice(0, 300)}`));
    } finally {
      rmSync(r.dir, { recursive: true, force: true });
    }
  });
}

// ── bounded work at the limits (counts, not milliseconds: they hold on a loaded machine) ──

const MB = 1 << 20;

test('past the size limit nothing is lexed; past the statement limit nothing more is parsed', () => {
  const big = parse(`#${'x'.repeat(MB)}\n`);
  assert.deepEqual([big.tokens.length, big.diagnostics.map((d) => d.code)], [0, ['CMP0007']]);
  const many = parse('set lr 0.01\n'.repeat(3 * LIMITS.statements));
  assert.equal(many.recipe.statements.length, LIMITS.statements);
  assert.ok(many.tokens.length <= 4 * LIMITS.statements, `${many.tokens.length} tokens reach the parser`);
  const yaml = readYaml(`steps:\n${'  - fuse:\n'.repeat(3 * LIMITS.statements)}`);
  assert.equal(yaml.recipe.statements.length, LIMITS.statements);
});

test('problems are kept up to a bound and the rest only counted, exactly (linear work)', () => {
  for (const n of [50_000, 100_000]) {
    const p = parse('@ '.repeat(n));
    assert.ok(p.diagnostics.length <= KEPT_DIAGNOSTICS);
    assert.equal(p.diagnostics.length + p.omitted, n);
    const ds = checkText('r.cmp', '@ '.repeat(n)).diagnostics;
    assert.equal(ds.length, LIMITS.diagnostics + 1);
    assert.equal(ds.at(-1)!.message, `${n - LIMITS.diagnostics} more problems not shown`);
  }
  const y = readYaml(Array.from({ length: 60_000 }, (_, i) => `k${i}: 1\n`).join(''));
  assert.deepEqual([y.diagnostics.length, y.diagnostics.length + y.omitted], [KEPT_DIAGNOSTICS, 60_000]);
});

test('YAML nested past the limit stops where it passes it, not at the end of the text', () => {
  for (const text of [`steps: ${'['.repeat(500_000)}`, `${'? '.repeat(300_000)}a\n`, `steps:\n  ${'- '.repeat(300_000)}x\n`]) {
    const r = readYaml(text);
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['CMP0006']);
    assert.ok(r.diagnostics[0]!.range.start.offset < 200, `stopped at offset ${r.diagnostics[0]!.range.start.offset}`);
  }
});

test('every at-limit input ends, with at most 201 problems (and a notice of what was not read), and memory stays far from a heap abort', { timeout: 300_000 }, () => {
  const inputs: [string, string][] = [
    ['a.cmp', '@ '.repeat(MB / 2 - 10)],
    ['b.cmp', 'x\n'.repeat(MB / 2 - 10)],
    ['c.cmp', `data synth\nprune backbone ${'l1+'.repeat(MB / 3 - 20)}l1 0.5\n`],
    ['d.cmp', `model "${'\\q'.repeat(MB / 2 - 10)}"\n`],
    ['e.cmp', `data synth\nprune backbone l1 0.5${' round 8'.repeat(MB / 8 - 10)}\n`],
    ['f.cmp', 'fuse;'.repeat(MB / 5 - 10)],
    ['g.yaml', `steps:\n${'[\n'.repeat(MB / 2 - 10)}`],
    ['h.yaml', `data: {format: synth}\nsteps:\n${'  - fuse:\n'.repeat(MB / 10 - 10)}`],
    ['i.yaml', `${'? \n'.repeat(MB / 3 - 10)}`],
    // Quadratic once: "did you mean" among 5,000 names for 5,000 unknown ones; aligning 9,000 set lines.
    ['j.cmp', `${Array.from({ length: 5000 }, (_, i) => `scope sc${String(i).padStart(5, '0')} = "x*"\n`).join('')}${Array.from({ length: 5000 }, (_, i) => `prune zz${String(i).padStart(5, '0')} l1 0.5\n`).join('')}`],
    ['k.cmp', 'set lr 0.01\nset batch 0\n'.repeat(4500)],
  ];
  for (const [file, text] of inputs) {
    assert.ok(Buffer.byteLength(text) <= LIMITS.fileBytes, `${file} is at the limit, not past it`);
    const all = checkText(file, text).diagnostics;
    const ds = all.filter((d) => !isPinned(d));
    assert.ok(all.length >= 1 && ds.length <= LIMITS.diagnostics + 1 && all.length - ds.length <= 1, `${file}: ${all.length} problems`);
    if (file.endsWith('.cmp')) format(text);
    assert.ok(process.memoryUsage().heapUsed < 1.5 * 2 ** 30, `${file}: heap ${process.memoryUsage().heapUsed} bytes`);
  }
});
