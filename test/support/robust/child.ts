// A child process of runIsolated: reads the ids of the cases to run (JSON on stdin), runs each in this
// process and prints one `@@result {...}` line per case as it ends. The parent's watchdog kills it when a
// case hangs; lithe's own output never reaches stdout here (each case's I/O is captured).
import { allCases } from './index.ts';
import { judge, inProcess } from './run-case.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const ids = JSON.parse(input) as string[];
const byId = new Map(allCases({ heavy: true }).map((c) => [`${c.kind}/${c.name}`, c]));
process.stdout.write('@@ready\n');
for (const id of ids) {
  const c = byId.get(id);
  if (!c) throw new Error(`no case ${id}`);
  const t0 = performance.now();
  const dir = mkdtempSync(join(tmpdir(), `lithe-robust-${c.kind}-`));
  const outcome = await inProcess(await c.setup(dir));
  const r = judge(c, outcome, dir);
  process.stdout.write(`@@result ${JSON.stringify({ ...r, seconds: (performance.now() - t0) / 1000 })}\n`);
}
