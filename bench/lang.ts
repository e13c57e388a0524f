// `npm run bench:lang`: how fast the language front end is, on generated recipes (deterministic, so runs
// compare). Prints a Markdown table; the verdict compares each case's median with its target. A report,
// not a test: it always exits 0.
//
//   cold          the first checkText of the process (the parser is built then), on the 200-line recipe
//   10k check     checkText of a 10,000-statement recipe              target < 200 ms
//   10k parse     lex + parse only of the same text
//   200 check     checkText of a realistic 200-line recipe, warm      target < 10 ms
//   200 format    format of the same text, warm
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { checkText } from '../src/plan/build.ts';
import { parse } from '../src/lang/parse.ts';
import { format } from '../src/fmt/format.ts';
import { generate, generateLines, type Generated } from './recipe-gen.ts';

// ─── timing ──────────────────────────────────────────────────────────────────────────────────────────────

interface Row { name: string; size: string; median: number; p90: number; runs: number; target?: number }

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function measure(name: string, size: string, f: () => unknown, runs: number, warmup: number, target?: number): Row {
  for (let i = 0; i < warmup; i++) f();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { name, size, median: quantile(ms, 0.5), p90: quantile(ms, 0.9), runs, target };
}

const fmtMs = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

// ─── the cases ───────────────────────────────────────────────────────────────────────────────────────────

const small = generateLines(200);
const big = generate(10_000);
const sizeOf = (g: Generated): string => `${g.statements} / ${g.lines}`;
const FILE = 'bench/generated.cmp'; // never read: only `use` would read files, and these recipes have none

const rows: Row[] = [];

// First: nothing above has parsed anything yet, so this call builds the parser.
{
  const t0 = performance.now();
  checkText(FILE, small.text);
  const ms = performance.now() - t0;
  rows.push({ name: 'cold: first checkText (parser built), 200-line recipe', size: sizeOf(small), median: ms, p90: ms, runs: 1 });
}

const check = (g: Generated) => checkText(FILE, g.text);
const problems = (g: Generated): string => {
  const ds = check(g).diagnostics;
  const by = (s: string) => ds.filter((d) => d.severity === s).length;
  return `${by('error')} errors, ${by('warning')} warnings, ${by('info')} infos`;
};

rows.push(measure('checkText, 10,000 statements', sizeOf(big), () => check(big), 30, 3, 200));
rows.push(measure('parse (lex + parse), 10,000 statements', sizeOf(big), () => parse(big.text), 30, 3));
rows.push(measure('checkText, 200-line recipe, warm', sizeOf(small), () => check(small), 200, 20, 10));
rows.push(measure('format, 200-line recipe, warm', sizeOf(small), () => format(small.text), 200, 20));

// ─── the report ──────────────────────────────────────────────────────────────────────────────────────────

console.log('# lithe language benchmark\n');
console.log(`- node ${process.version} on ${process.platform}/${process.arch}`);
console.log(`- CPU: ${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores)`);
console.log(`- 10,000-statement recipe: ${big.lines} lines, ${(big.text.length / 1024).toFixed(0)} KB, ${problems(big)}`);
console.log(`- 200-line recipe: ${small.statements} statements, ${problems(small)}`);
console.log('- verdict: the median against the target\n');
console.log('| case | statements/lines | median ms | p90 ms | runs | target | verdict |');
console.log('|---|---:|---:|---:|---:|---:|---|');
for (const r of rows) {
  const target = r.target === undefined ? '—' : `< ${r.target} ms`;
  const verdict = r.target === undefined ? '—' : r.median < r.target ? 'PASS' : 'FAIL';
  console.log(`| ${r.name} | ${r.size} | ${fmtMs(r.median)} | ${fmtMs(r.p90)} | ${r.runs} | ${target} | ${verdict} |`);
}
process.exitCode = 0;
