// `npm run bench:int8 [-- MODEL]`: issue 15's int8 speed check. Quantizes the baseline with int8 PTQ (the
// pass's defaults; run folder runs/bench-int8/, reused with --resume), then times the float model and the
// int8 one in one process, interleaved run by run, at 1 and 2 threads, and prints the medians and their
// ratio (target: int8 ≥ 2.5× float at 1 thread). Then a per-node onnxruntime profile of each at 1 thread
// (kernel time by op type, after onnxruntime's fusions) shows where the time goes; LITHE_BENCH_NODES=1 adds
// each node's time. LITHE_BENCH_RUNS sets the timed runs per model (default 40); LITHE_BENCH_STEP replaces
// the quantize statement (`quantize int8 ptq method mse keep "layers.01*"`). The profiles are written to the
// system's temp folder and deleted.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadModel, encodeModel } from '../src/onnx/io.ts';
import { checkText } from '../src/plan/build.ts';
import { runPlan } from '../src/run/run.ts';
import { feeds } from '../src/runtime/latency.ts';

const model = process.argv[2] ?? 'models/shapes-yolo.onnx';
const runs = Number(process.env.LITHE_BENCH_RUNS ?? 40);

const step = process.env.LITHE_BENCH_STEP ?? 'quantize int8 ptq';
const text = `model "${model}"\nuse stdlib yolov3-tiny\ndata synth\ntarget x86\n${step}\n`;
const { plan, diagnostics } = checkText('int8.cmp', text);
if (!plan) throw new Error(diagnostics.map((d) => d.message).join('\n'));
const out = join('runs', 'bench-int8', step.replace(/\W+/g, '-'));
console.error(`== int8 PTQ of ${model} → ${out}`);
const report = await runPlan(plan, { out, resume: true, threads: 2, say: (l) => console.error(l) });
const models = { float: loadModel(model), int8: loadModel(join(out, '01-quantize.onnx')) };

const options = (threads: number, profile?: string): ort.InferenceSession.SessionOptions => ({
  intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
  ...(profile ? { enableProfiling: true, profileFilePrefix: profile } : {}),
});

type Stats = { median: number; min: number; cpu: number };

/**
 * Per model: the median and the fastest wall time of a run, and the median CPU time of a run (user + system,
 * all of the process's threads). Runs are interleaved, so that load on the machine hits both models alike;
 * the fastest run is the one least disturbed by other work, and CPU time does not count the time the process
 * waited for a core, so on a shared machine the CPU-time ratio is the steadiest of the three.
 */
async function interleaved(threads: number): Promise<Record<'float' | 'int8', Stats>> {
  const s = { float: await ort.InferenceSession.create(encodeModel(models.float), options(threads)), int8: await ort.InferenceSession.create(encodeModel(models.int8), options(threads)) };
  const input = feeds(models.float, 1);
  const wall = { float: [] as number[], int8: [] as number[] };
  const cpu = { float: [] as number[], int8: [] as number[] };
  for (let i = 0; i < runs + 5; i++) {
    for (const k of ['float', 'int8'] as const) {
      const [t0, c0] = [performance.now(), process.cpuUsage()];
      await s[k].run(input);
      const c = process.cpuUsage(c0);
      if (i >= 5) { wall[k].push(performance.now() - t0); cpu[k].push((c.user + c.system) / 1000); }
    }
  }
  await Promise.all([s.float.release(), s.int8.release()]);
  const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
  const stats = (k: 'float' | 'int8'): Stats => ({ median: sorted(wall[k])[runs >> 1]!, min: wall[k][0]!, cpu: sorted(cpu[k])[runs >> 1]! });
  return { float: stats('float'), int8: stats('int8') };
}

/** Kernel µs per run by `MODEL OP NODE`. */
const perNode = new Map<string, number>();
interface Event { cat: string; name: string; dur: number; args?: { op_name?: string } }

/** Kernel µs per run by op type (onnxruntime's names after fusion: QLinearConv, NhwcMaxPool, ...). */
async function profile(which: 'float' | 'int8'): Promise<Map<string, { us: number; nodes: Set<string> }>> {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-profile-'));
  try {
    const s = await ort.InferenceSession.create(encodeModel(models[which]), options(1, join(dir, which)));
    const input = feeds(models[which], 1);
    for (let i = 0; i < runs; i++) await s.run(input);
    s.endProfiling();
    await s.release();
    // onnxruntime names the file PREFIX_DATE.json; the folder holds only this one
    const file = readdirSync(dir).find((f) => f.endsWith('.json'));
    if (!file) throw new Error(`onnxruntime wrote no profile into ${dir}`);
    const events = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Event[];
    const byOp = new Map<string, { us: number; nodes: Set<string> }>();
    for (const e of events) {
      if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || !e.args?.op_name) continue;
      const row = byOp.get(e.args.op_name) ?? byOp.set(e.args.op_name, { us: 0, nodes: new Set() }).get(e.args.op_name)!;
      row.us += e.dur / runs;
      row.nodes.add(e.name);
      const key = `${which} ${e.args.op_name} ${e.name.replace(/_kernel_time$/, '')}`;
      perNode.set(key, (perNode.get(key) ?? 0) + e.dur / runs);
    }
    return byOp;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`\n${model}: float against int8 PTQ (${out}/01-quantize.onnx, mAP@.5:.95 ${(100 * (report.before.map ?? 0)).toFixed(1)} → ${(100 * (report.steps[0]!.measures.map ?? 0)).toFixed(1)}); batch 1, ${runs} runs each, interleaved\n`);
console.log('| threads | float ms: median / fastest / CPU | int8 ms: median / fastest / CPU | int8 speed-up: median / fastest / CPU |\n|---|---|---|---|');
for (const threads of [1, 2]) {
  const { float: f, int8: q } = await interleaved(threads);
  const ms = (x: Stats) => `${x.median.toFixed(1)} / ${x.min.toFixed(1)} / ${x.cpu.toFixed(1)}`;
  console.log(`| ${threads} | ${ms(f)} | ${ms(q)} | ${(f.median / q.median).toFixed(2)}× / ${(f.min / q.min).toFixed(2)}× / ${(f.cpu / q.cpu).toFixed(2)}× |`);
}
for (const which of ['float', 'int8'] as const) {
  const byOp = [...(await profile(which))].sort((a, b) => b[1].us - a[1].us);
  const total = byOp.reduce((a, [, r]) => a + r.us, 0);
  console.log(`\n${which}, 1 thread: kernel time by op after onnxruntime's fusions, ${(total / 1000).toFixed(1)} ms per run\n`);
  console.log('| op | nodes | ms | share |\n|---|---|---|---|');
  for (const [op, r] of byOp) console.log(`| ${op} | ${r.nodes.size} | ${(r.us / 1000).toFixed(2)} | ${((100 * r.us) / total).toFixed(1)}% |`);
}
if (process.env.LITHE_BENCH_NODES) {
  console.log('\nper node, 1 thread:\n');
  for (const [k, us] of perNode) console.log(`${k}: ${(us / 1000).toFixed(2)} ms`);
}
