// `npm run bench:cli`: how fast `lithe` starts, as a user meets it: a fresh `node bin/lithe.js` process per
// run, median of 10 (after one unmeasured run that warms the file cache). Prints a Markdown table with each
// case's target and the machine's load, which on a shared machine moves these numbers a lot. bin/lithe.js
// runs dist/ when it is up to date (`npm run build`) and the TypeScript through tsx otherwise: the table
// says which. A report, not a test: it always exits 0.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateLines } from './recipe-gen.ts';
import { distIsFresh } from '../bin/fresh.js';

const RUNS = 10;
const dir = mkdtempSync(join(tmpdir(), 'lithe-bench-cli-'));
const recipe = join(dir, 'generated.cmp');
const generated = generateLines(200);
writeFileSync(recipe, generated.text);

interface Case { name: string; args: string[]; target: number }
const CASES: Case[] = [
  { name: 'lithe --version', args: ['--version'], target: 150 },
  { name: `lithe check (${generated.lines} lines)`, args: ['check', recipe], target: 500 },
  { name: 'lithe check --help', args: ['check', '--help'], target: 150 },
];

function time(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['bin/lithe.js', ...args], { encoding: 'utf8', env: { ...process.env, LITHE_TSX: undefined } });
  const ms = performance.now() - t0;
  // check exits 1 when the recipe has errors: anything else (2, a signal) means the case did not run
  if (r.status === null || r.status > 1) throw new Error(`lithe ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2; };
const load = loadavg()[0]!.toFixed(2);
const mode = distIsFresh(process.cwd()) ? 'dist/ (compiled)' : 'src/ through tsx (dist/ missing or older than src/: npm run build)';
const rows = CASES.map((c) => {
  time(c.args);
  const ms = Array.from({ length: RUNS }, () => time(c.args));
  return { ...c, median: median(ms), min: Math.min(...ms), max: Math.max(...ms) };
});
rmSync(dir, { recursive: true, force: true });

console.log(`bin/lithe.js runs ${mode}; ${cpus().length} cores, load average ${load} before, ${loadavg()[0]!.toFixed(2)} after; median of ${RUNS} fresh processes\n`);
console.log('| command | median ms | min | max | target ms | |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${r.median.toFixed(0)} | ${r.min.toFixed(0)} | ${r.max.toFixed(0)} | ≤ ${r.target} | ${r.median <= r.target ? 'met' : 'missed'} |`);
