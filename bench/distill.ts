// `npm run bench:distill [-- MODEL]`: issue 14's comparison on the baseline detector. The baseline is pruned
// (`prune backbone l1 0.7`), then recovered with the same epochs, learning-rate schedule, seed and data by
// (a) plain fine-tuning, (b) distillation from the unpruned model with each loss alone, (c) cls+feat+attn and
// (d) all five. Prints mAP@.5:.95, mAP@.5, the step's wall time and training images/s per row, and the targets:
// (c) beats (a) by ≥ 0.5 points of mAP@.5:.95, the best row beats (a) by ≥ 1.0. Run folders go to
// runs/bench-distill/ (reused with --resume: an interrupted benchmark continues). LITHE_BENCH_EPOCHS sets
// the epochs (default 5); LITHE_BENCH_ROWS=a,c limits the rows.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../src/plan/build.ts';
import { runPlan } from '../src/run/run.ts';
import type { Report } from '../src/run/report.ts';

const model = process.argv[2] ?? 'models/shapes-yolo.onnx';
const epochs = Number(process.env.LITHE_BENCH_EPOCHS ?? 5);
if (!existsSync(model)) {
  console.error(`bench:distill: ${model} does not exist (train the baseline with scripts/train-baseline.sh, or name a model)`);
  process.exit(2);
}

const LOSSES = ['cls', 'feat', 'attn', 'reg', 'corr'];
const ROWS: [string, string, string][] = [
  ['a', 'finetune', `finetune epochs ${epochs}`],
  ...LOSSES.map((l): [string, string, string] => ['b', `distill ${l}`, `distill from teacher with ${l} epochs ${epochs}`]),
  ['c', 'distill cls+feat+attn', `distill from teacher with cls+feat+attn epochs ${epochs}`],
  ['d', 'distill all five', `distill from teacher with ${LOSSES.join('+')} epochs ${epochs}`],
];
const only = process.env.LITHE_BENCH_ROWS?.split(',');

interface Row { group: string; name: string; report: Report; imagesPerSecond: number }
const rows: Row[] = [];
for (const [group, name, step] of ROWS.filter(([g]) => !only || only.includes(g))) {
  const text = `model "${model}"\nuse stdlib yolov3-tiny\ndata synth\ntarget x86\nprune backbone l1 0.7\n${step}\n`;
  const { plan, diagnostics } = checkText(`${name}.cmp`, text);
  if (!plan) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  const out = join('runs', 'bench-distill', `e${epochs}-${name.replace(/\W+/g, '-')}`);
  console.error(`== (${group}) ${name} → ${out}`);
  const speeds: number[] = [];
  const report = await runPlan(plan, {
    out, resume: true, threads: 2,
    say: (l) => { console.error(l); const m = /epoch \d+\/\d+: .*, ([\d.]+) images\/s/.exec(l); if (m) speeds.push(Number(m[1])); },
  });
  rows.push({ group, name, report, imagesPerSecond: speeds.length ? speeds.reduce((a, b) => a + b) / speeds.length : NaN });
}

const pts = (x?: number) => (x === undefined ? '—' : (100 * x).toFixed(1));
const trained = (r: Row) => r.report.steps[1]!;
console.log(`\nbaseline ${model}: mAP@.5:.95 ${pts(rows[0]?.report.before.map)}; pruned (backbone l1 0.7): ${pts(rows[0]?.report.steps[0]!.measures.map)}; ${epochs} epochs each, lr 0.01, batch 8, seed 0, 2 threads\n`);
console.log('| row | recovery | mAP@.5:.95 | mAP@.5 | wall time | images/s |\n|---|---|---|---|---|---|');
for (const r of rows) {
  const s = trained(r);
  console.log(`| ${r.group} | ${r.name} | ${pts(s.measures.map)} | ${pts(s.measures.map50)} | ${(s.seconds / 60).toFixed(1)} min | ${r.imagesPerSecond.toFixed(1)} |`);
}
const a = rows.find((r) => r.group === 'a');
const c = rows.find((r) => r.group === 'c');
if (a && c) {
  const map = (r: Row) => trained(r).measures.map ?? 0;
  const best = rows.filter((r) => r.group !== 'a').reduce((x, y) => (map(y) > map(x) ? y : x));
  console.log(`\n(c) ${c.name} − (a) fine-tuning: ${pts(map(c) - map(a))} points (target ≥ 0.5)`);
  console.log(`best, ${best.name} − (a): ${pts(map(best) - map(a))} points (target ≥ 1.0)`);
}
