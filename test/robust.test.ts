// The reliability suite (issue 12): every hostile input of the corpus (test/support/robust/; this file runs
// the file cases, robust-{models,recipes,data}.test.ts the others) must end in a named error (or succeed
// where it is valid), never an internal error, a hang or a wrong success; and the
// multi-process scenarios (two runs into one folder, kill -9 and Ctrl-C at every stage with the resumed
// run compared byte for byte, a torn state file, a full disk, a read-only folder) must hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileCases } from './support/robust/files.ts';
import { runIsolated } from './support/robust/run-case.ts';
import { scenarios } from './support/robust/scenarios.ts';

test('every file case ends in a named error, or succeeds where the input is valid', async () => {
  // one child process runs the cases; a case that blocks (a FIFO read) is killed by the watchdog as a hang
  const results = await runIsolated(fileCases, { timeoutMs: 120_000 });
  const bad = results.filter((r) => r.verdict !== (r.c.expect === 'ok' ? 'ok' : 'named'));
  assert.deepEqual(bad.map((r) => `${r.c.kind}: ${r.c.name}: ${r.verdict}${r.why ? ` (${r.why})` : ''}`), []);
});

for (const s of scenarios) {
  test(`${s.kind}: ${s.name}`, async (t) => {
    const r = await s.run();
    if ('skipped' in r) return t.skip(r.skipped);
    assert.equal(r.verdict, s.expect, r.why);
  });
}
