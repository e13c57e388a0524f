// `npm run bench:micro-yolo [-- RECIPE]`: issue 17's benchmark. Runs recipes/micro-yolo-synth.cmp (Micro-YOLO's
// pipeline on the baseline) into runs/bench-micro-yolo/ (reused with --resume), then prints params, MACs, size,
// mAP@.5:.95 and latency at 1 and 2 threads after each step against the baseline, the wall time, and the
// targets: at least 3.46x fewer parameters and 2.55x fewer MACs with mAP@.5:.95 at most 0.7 points below.
import { readFileSync } from 'node:fs';
import { checkText } from '../src/plan/build.ts';
import { runPlan } from '../src/run/run.ts';
import type { Measures } from '../src/run/types.ts';

const recipe = process.argv[2] ?? 'recipes/micro-yolo-synth.cmp';
const { plan, diagnostics } = checkText(recipe, readFileSync(recipe, 'utf8'));
if (!plan) {
  console.error(diagnostics.map((d) => `${recipe}:${d.range.start.line}: ${d.message}`).join('\n'));
  process.exit(1);
}
const t0 = performance.now();
// The recipe's export (out/micro-yolo-synth.onnx) is this benchmark's own product: a new run replaces it (force),
// where `lithe run` would refuse to overwrite a file it did not write.
console.error(`writes runs/bench-micro-yolo/ (resumed when present) and the recipe's export, ${plan.steps.filter((s) => s.pass === 'export').map((s) => (s.params as { path: string }).path).join(', ')}, replacing it`);
const report = await runPlan(plan, { out: 'runs/bench-micro-yolo', resume: true, force: true, threads: 2, say: (l) => console.error(l) }).catch((e: Error) => {
  console.error(`bench:micro-yolo: ${e.message}`);
  process.exit(1);
});
const wall = (performance.now() - t0) / 1000;

const base = report.before;
const pts = (m: Measures) => (m.map === undefined ? '—' : `${(100 * m.map).toFixed(1)} (${(100 * (m.map - (base.map ?? 0))).toFixed(1)})`);
const ms = (m: Measures, t: string) => m.latency_ms?.[t]?.toFixed(1) ?? '—';
const row = (name: string, m: Measures) => `| ${name} | ${(m.params / 1e6).toFixed(2)} M (${(base.params / m.params).toFixed(2)}×) | ${(m.macs / 1e9).toFixed(2)} G (${(base.macs / m.macs).toFixed(2)}×) | ${(m.bytes / 2 ** 20).toFixed(1)} MiB | ${pts(m)} | ${ms(m, '1')} | ${ms(m, '2')} |`;
console.log('\n| model | params (fewer) | MACs (fewer) | size | mAP@.5:.95 (change) | ms, 1 thread | ms, 2 threads |\n|---|---|---|---|---|---|---|');
console.log(row('baseline', base));
report.steps.forEach((s, i) => console.log(row(`${i + 1}. ${s.pass}`, s.measures)));
const last = report.steps.at(-1)!.measures;
const drop = 100 * ((base.map ?? 0) - (last.map ?? 0));
console.log(`\nwall time ${(wall / 60).toFixed(1)} min (this invocation; a resumed run counts only what it ran)`);
console.log(`targets: params ${(base.params / last.params).toFixed(2)}× (≥ 3.46: ${base.params / last.params >= 3.46 ? 'met' : 'missed'}), `
  + `MACs ${(base.macs / last.macs).toFixed(2)}× (≥ 2.55: ${base.macs / last.macs >= 2.55 ? 'met' : 'missed'}), mAP drop ${drop.toFixed(1)} points (≤ 0.7: ${drop <= 0.7 ? 'met' : 'missed'})`);
