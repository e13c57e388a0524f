// `npm run bench:qat [-- MODEL]`: issue 15's comparison. On the baseline and on the baseline with 70% of its
// backbone pruned and fine-tuned (bench:distill's row (a), made here if missing), int8 PTQ with the best of
// the four calibration methods against QAT started from that calibration, with per-channel and per-tensor
// weights, on the same data. Prints mAP@.5:.95, the drop from the float model, latency at 1 and 2 threads and
// the agreement of the QAT graph's mAP with the exported model's, then the targets: QAT within 0.3 points of
// the float model in every row, and at least half of PTQ's loss recovered where PTQ loses more than 0.5.
// Run folders go to runs/bench-qat/ (reused with --resume). LITHE_BENCH_EPOCHS: the pruned model's
// fine-tuning epochs (default 3, bench:distill's); LITHE_BENCH_QAT_EPOCHS: QAT's (default: the pass's);
// LITHE_BENCH_QAT_LR: QAT's lr (default: the pass's; its run folders are named after it);
// LITHE_BENCH_QAT_DISTILL=1: QAT distils from the float model it quantizes (`qat distill`; its run folders say
// so); LITHE_BENCH_METHODS: the calibration methods PTQ tries (default all four); LITHE_BENCH_ROWS: the rows
// to run, comma-separated ("baseline per-tensor,pruned per-channel"; default all four). QAT run folders name
// the epochs where they are not 1 (the first runs had 1 and their folders no epochs).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkText } from '../src/plan/build.ts';
import { runPlan } from '../src/run/run.ts';
import type { Report } from '../src/run/report.ts';
import type { Measures } from '../src/run/types.ts';
import { QAT_DEFAULTS } from '../src/passes/quantize/index.ts';

const model = process.argv[2] ?? 'models/shapes-yolo.onnx';
const epochs = Number(process.env.LITHE_BENCH_EPOCHS ?? 3);
const qatEpochs = process.env.LITHE_BENCH_QAT_EPOCHS;
const qatLr = process.env.LITHE_BENCH_QAT_LR;
const qatDistill = process.env.LITHE_BENCH_QAT_DISTILL === '1';
const rowsWanted = process.env.LITHE_BENCH_ROWS?.split(',').map((r) => r.trim());
const qatEpochsName = (qatEpochs ?? String(QAT_DEFAULTS.epochs)) === '1' ? '' : ` e${qatEpochs ?? QAT_DEFAULTS.epochs}`;
if (!existsSync(model)) {
  console.error(`bench:qat: ${model} does not exist (train the baseline with scripts/train-baseline.sh, or name a model)`);
  process.exit(2);
}
const METHODS = process.env.LITHE_BENCH_METHODS?.split(',') ?? ['minmax', 'percentile', 'entropy', 'mse'];

async function run(name: string, modelPath: string, steps: string): Promise<Report> {
  const text = `model "${modelPath}"\nuse stdlib yolov3-tiny\ndata synth\ntarget x86\n${steps}\n`;
  const { plan, diagnostics } = checkText(`${name}.cmp`, text);
  if (!plan) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  const out = join('runs', 'bench-qat', name.replace(/\W+/g, '-'));
  console.error(`== ${name} → ${out}`);
  return runPlan(plan, { out, resume: true, threads: 2, say: (l) => console.error(l) });
}

/** The pruned and fine-tuned baseline: bench:distill's row (a) when it has run, else made here the same way. */
async function prunedModel(): Promise<string> {
  const distilled = join('runs', 'bench-distill', `e${epochs}-finetune`, '02-finetune.onnx');
  if (existsSync(distilled)) return distilled;
  await run(`pruned-e${epochs}`, model, `prune backbone l1 0.7\nfinetune epochs ${epochs}`);
  return join('runs', 'bench-qat', `pruned-e${epochs}`, '02-finetune.onnx');
}

interface Row { base: string; weights: string; method: string; float: Measures; ptq: Measures; qat: Measures; details: Record<string, unknown> }
const rows: Row[] = [];
for (const [base, path] of [['baseline', model], [`pruned 70% + ${epochs} ep`, await prunedModel()]] as const) {
  for (const weights of ['per-channel', 'per-tensor']) {
    if (rowsWanted && !rowsWanted.includes(`${base.split(' ')[0]} ${weights}`)) continue;
    const ptq = new Map<string, Report>();
    for (const m of METHODS) ptq.set(m, await run(`${base} ${weights} ptq ${m}`, path, `quantize int8 ptq method ${m} ${weights}`));
    const mapOf = (r: Report) => r.steps[0]!.measures.map ?? 0;
    const [method, best] = [...ptq].reduce((x, y) => (mapOf(y[1]) > mapOf(x[1]) ? y : x));
    const lr = qatLr ? ` lr ${qatLr}` : '';
    const distill = qatDistill ? ' distill' : '';
    const qat = await run(`${base} ${weights} qat ${method}${lr}${distill}${qatEpochsName}`, path, `quantize int8 qat method ${method} ${weights}${qatEpochs ? ` epochs ${qatEpochs}` : ''}${lr}${distill}`);
    rows.push({ base, weights, method, float: best.before, ptq: best.steps[0]!.measures, qat: qat.steps[0]!.measures, details: qat.steps[0]!.details ?? {} });
  }
}

const pts = (x?: number) => (x === undefined ? '—' : (100 * x).toFixed(2));
const drop = (m: Measures, f: Measures) => (100 * ((f.map ?? 0) - (m.map ?? 0)));
/** A change in points with its sign: −0.25, +0.06. */
const signed = (x: number) => `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(2)}`;
const ms = (m: Measures, t: string) => m.latency_ms?.[t]?.toFixed(1) ?? '—';
console.log('\nmAP@.5:.95 in points on the val split (drop from the float model); latency ms at batch 1; QAT from the best PTQ calibration\n');
console.log('| model | weights | calibration | float | PTQ | QAT | QAT graph vs export | float ms 1t / 2t | PTQ ms 1t / 2t | QAT ms 1t / 2t |\n|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.base} | ${r.weights} | ${r.method} | ${pts(r.float.map)} | ${pts(r.ptq.map)} (${signed(-drop(r.ptq, r.float))}) | ${pts(r.qat.map)} (${signed(-drop(r.qat, r.float))}) | ${r.details.map_qat_graph ?? '—'} vs ${r.details.map_exported ?? '—'} | ${ms(r.float, '1')} / ${ms(r.float, '2')} | ${ms(r.ptq, '1')} / ${ms(r.ptq, '2')} | ${ms(r.qat, '1')} / ${ms(r.qat, '2')} |`);
}
console.log('');
for (const r of rows) {
  const [p, q] = [drop(r.ptq, r.float), drop(r.qat, r.float)];
  const met = (ok: boolean) => (ok ? 'met' : 'missed');
  const half = p > 0.5 ? `; recovers ${(100 * (p - q) / p).toFixed(0)}% of PTQ's ${p.toFixed(2)}-point loss (target ≥ 50%: ${met(p - q >= p / 2)})` : '';
  // two decimals: 0.31 is not within 0.3, whatever one decimal would print
  console.log(`${r.base}, ${r.weights}: QAT ${q.toFixed(2)} points from float (target ≤ 0.3: ${met(q <= 0.3)})${half}`);
}
