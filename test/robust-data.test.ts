// Every data case of the reliability suite (test/support/robust/datasets.ts), judged as bench:robust judges
// it: a broken data set must end in a named error, a valid one must evaluate. A failing case prints why.
// Cases that need a lithe process of their own (a FIFO, /dev/zero) run four at a time: most of their time
// is a process starting.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dataCases } from './support/robust/datasets.ts';
import { runCase } from './support/robust/run-case.ts';
import type { RobustCase } from './support/robust/types.ts';

async function check(c: RobustCase, t: TestContext): Promise<void> {
  const r = await runCase(c);
  const want = c.expect === 'fail' ? 'named' : 'ok';
  if (r.verdict !== want) t.diagnostic(`${r.verdict}: ${r.why ?? ''} (in ${r.dir})`);
  else rmSync(r.dir, { recursive: true, force: true });
  assert.equal(r.verdict, want, r.why);
}

test('the data cases have unique names and both kinds of expectation', () => {
  const names = dataCases.map((c) => c.name);
  assert.equal(new Set(names).size, names.length);
  assert.ok(dataCases.some((c) => c.expect === 'ok') && dataCases.some((c) => c.expect === 'fail'));
});

for (const c of dataCases.filter((c) => !c.subprocess)) test(`data: ${c.name}`, (t) => check(c, t));

test('data cases in a lithe process of their own', { concurrency: 4 }, async (t) => {
  await Promise.all(dataCases.filter((c) => c.subprocess).map((c) => t.test(`data: ${c.name}`, (st) => check(c, st))));
});
