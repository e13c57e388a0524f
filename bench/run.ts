// `npm run bench:run [-- MODEL]`: issue 6's pipelines on the baseline detector through `lithe run`:
// int8 PTQ alone, and `prune backbone C 0.5; finetune epochs 5; quantize int8 ptq` for C = l1, entropy and
// dynamic. Prints one Markdown table (params, MACs, size, mAP@.5:.95, latency at 1 and 2 threads, after each
// step) and the targets: int8 PTQ loses ≤ 1 point and runs ≥ 1.5× faster; pruning half the backbone plus 5
// epochs of fine-tuning loses ≤ 2 points. Run folders go to runs/bench-run/ (reused with --resume, so an
// interrupted benchmark continues). LITHE_BENCH_EPOCHS shortens the fine-tuning for a quick look.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../src/plan/build.ts';
import { runPlan } from '../src/run/run.ts';
import type { Report } from '../src/run/report.ts';
import type { Measures } from '../src/run/types.ts';

const model = process.argv[2] ?? 'models/shapes-yolo.onnx';
const epochs = Number(process.env.LITHE_BENCH_EPOCHS ?? 5);
if (!existsSync(model)) {
  console.error(`bench:run: ${model} does not exist (train the baseline with scripts/train-baseline.sh, or name a model)`);
  process.exit(2);
}

const PIPELINES: Record<string, string> = {
  'int8 ptq': 'quantize int8 ptq',
  ...Object.fromEntries(['l1', 'entropy', 'dynamic'].map((c) => [`${c} 0.5`, `prune backbone ${c} 0.5\nfinetune epochs ${epochs}\nquantize int8 ptq`])),
};

const pts = (x?: number) => (x === undefined ? '—' : (100 * x).toFixed(1));
const fmt = (m: Measures, base: Measures) => [
  `${(m.params / 1e6).toFixed(2)} M`, `${(m.macs / 1e9).toFixed(2)} G`, `${(m.bytes / 2 ** 20).toFixed(1)} MiB`,
  `${pts(m.map)} (${m.map !== undefined && base.map !== undefined ? `${m.map >= base.map ? '+' : ''}${(100 * (m.map - base.map)).toFixed(1)}` : '—'})`,
  ...['1', '2'].map((t) => `${m.latency_ms?.[t]?.toFixed(1) ?? '—'} (${base.latency_ms?.[t] && m.latency_ms?.[t] ? (base.latency_ms[t]! / m.latency_ms[t]!).toFixed(2) : '—'}×)`),
];

const reports: [string, Report][] = [];
for (const [name, steps] of Object.entries(PIPELINES)) {
  const text = `model "${model}"\nuse stdlib yolov3-tiny\ndata synth\ntarget x86\n${steps}\n`;
  const { plan, diagnostics } = checkText(`${name}.cmp`, text);
  if (!plan) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  const out = join('runs', 'bench-run', name.replace(/\W+/g, '-'));
  console.error(`== ${name} → ${out}`);
  reports.push([name, await runPlan(plan, { out, resume: true, threads: 2, say: (l) => console.error(l) })]);
}

console.log(`\nbaseline ${model}; fine-tuning ${epochs} epochs; mAP in points (change); latency ms at batch 1 (speed-up vs the input)\n`);
console.log('| pipeline | after | params | MACs | size | mAP@.5:.95 | 1 thread | 2 threads |\n|---|---|---|---|---|---|---|---|');
const base = reports[0]![1].before;
console.log(`| — | input | ${fmt(base, base).join(' | ')} |`);
for (const [name, r] of reports) for (const s of r.steps) console.log(`| ${name} | ${s.index}. ${s.pass} | ${fmt(s.measures, base).join(' | ')} |`);
const last = (r: Report) => r.steps.at(-1)!.measures;
const int8 = last(reports[0]![1]);
console.log(`\nint8 PTQ: ${pts((base.map ?? 0) - (int8.map ?? 0))} points lost (target ≤ 1.0), ${(base.latency_ms!['1']! / int8.latency_ms!['1']!).toFixed(2)}× faster at 1 thread (target ≥ 1.5×)`);
for (const [name, r] of reports.slice(1)) {
  const tuned = r.steps.find((s) => s.pass === 'finetune')!.measures;
  console.log(`${name}: pruned + ${epochs} epochs loses ${pts((base.map ?? 0) - (tuned.map ?? 0))} points (target ≤ 2.0)`);
}
