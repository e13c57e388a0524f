// npm run bench:robust: the whole reliability corpus (the heavy cases too: 50 MB recipes and the like) and
// every multi-process scenario, with the table of issue 12: inputs tried per kind, and how they ended.
// Named errors (and successes on the valid controls) are the only right endings; internal errors, hangs
// and wrong successes must all be 0. Cases run in child processes with a watchdog (a hang is killed).
import { allCases } from '../test/support/robust/index.ts';
import { runIsolated, type Result } from '../test/support/robust/run-case.ts';
import { scenarios } from '../test/support/robust/scenarios.ts';
import type { Verdict } from '../test/support/robust/types.ts';

const TIMEOUT_MS = Number(process.env.ROBUST_TIMEOUT_S ?? 120) * 1000;

interface Row { tried: number; named: number; ok: number; internal: number; hang: number; wrong: number; skipped: number; seconds: number }
const rows = new Map<string, Row>();
const problems: string[] = [];

function count(kind: string, expectOk: boolean, verdict: Verdict | 'skipped', name: string, seconds: number, why?: string): void {
  const r = rows.get(kind) ?? { tried: 0, named: 0, ok: 0, internal: 0, hang: 0, wrong: 0, skipped: 0, seconds: 0 };
  rows.set(kind, r);
  r.seconds += seconds;
  if (verdict === 'skipped') { r.skipped++; problems.push(`skipped ${kind}: ${name}: ${why}`); return; }
  r.tried++;
  // a valid control that lithe refused is a wrong answer too, counted with the wrong successes
  const v: Verdict = expectOk && verdict === 'named' ? 'wrong' : verdict;
  r[v]++;
  if (v !== 'named' && v !== 'ok') problems.push(`${v} ${kind}: ${name}${why ? `: ${why}` : ''}`);
}

const t0 = performance.now();
const cases = allCases({ heavy: true });
process.stderr.write(`bench:robust: ${cases.length} cases and ${scenarios.length} scenarios (case folders under the system's temporary folder)\n`);
await runIsolated(cases, { timeoutMs: TIMEOUT_MS, onResult: (r: Result) => count(r.c.kind, r.c.expect === 'ok', r.verdict, r.c.name, r.seconds, r.why) });
for (const s of scenarios) {
  const t = performance.now();
  const r = await s.run();
  const seconds = (performance.now() - t) / 1000;
  if ('skipped' in r) count(s.kind, s.expect === 'ok', 'skipped', s.name, seconds, r.skipped);
  else count(s.kind, s.expect === 'ok', r.verdict === 'named' && s.expect === 'ok' ? 'wrong' : r.verdict, s.name, seconds, r.why);
}

const total = (k: keyof Row) => [...rows.values()].reduce((a, r) => a + r[k], 0);
const line = (name: string, r: Row) => `| ${name} | ${r.tried} | ${r.named} | ${r.ok} | ${r.internal} | ${r.hang} | ${r.wrong} | ${r.skipped} | ${r.seconds.toFixed(0)} |`;
console.log('| kind | inputs tried | named errors | valid, succeeded | internal errors | hangs | wrong successes | skipped | seconds |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const [k, r] of [...rows].sort(([a], [b]) => a.localeCompare(b))) console.log(line(k, r));
console.log(line('**all**', { tried: total('tried'), named: total('named'), ok: total('ok'), internal: total('internal'), hang: total('hang'), wrong: total('wrong'), skipped: total('skipped'), seconds: total('seconds') }));
console.log(`\n${((performance.now() - t0) / 1000).toFixed(0)} s in all (node ${process.version}, ${process.platform})`);
if (problems.length) console.log(`\n${problems.join('\n')}`);
process.exitCode = total('internal') + total('hang') + total('wrong') ? 1 : 0;
