// lithe bench MODEL [--size N|HxW] [--batch N] [--threads N] [--runs N] [--json]: latency after warm-up, and
// FPS, of the model as a run prepares it (--size fixes a symbolic input size). The same measurement as a run's
// report (runtime/latency.ts), with the same account of how it was taken (run/method.ts).
import { measureLatency } from '../../runtime/latency.ts';
import { EXIT, UsageError, type Io } from '../io.ts';
import { sizeFlag, wholeFlag } from '../flags.ts';
import { loadPrepared } from './load-prepared.ts';
import { latencyMethod } from '../../run/method.ts';


export async function runBench(files: string[], flags: { batch?: string; threads?: string; runs?: string; size?: string; json: boolean }, io: Io): Promise<number> {
  if (files.length !== 1) throw new UsageError('bench takes exactly one MODEL');
  const { model } = loadPrepared(files[0]!, sizeFlag(flags.size), true);
  const r = await measureLatency(model, {
      batch: wholeFlag(flags.batch, '--batch') ?? 1, threads: wholeFlag(flags.threads, '--threads') ?? 1, runs: wholeFlag(flags.runs, '--runs') ?? 30,
    });
  const { host } = latencyMethod();
  io.out(flags.json ? `${JSON.stringify({ ...r, host }, null, 2)}\n`
      : `${files[0]}: batch ${r.batch}, ${r.threads} thread${r.threads === 1 ? '' : 's'}, ${r.runs} runs after ${r.warmup} warm-up runs\n`
        + `  median ${r.median_ms.toFixed(2)} ms   p90 ${r.p90_ms.toFixed(2)} ms   fastest ${r.min_ms.toFixed(2)} ms   ${r.fps.toFixed(1)} images/s\n`
        + `  CPU ${r.cpu_ms.toFixed(2)} ms per run; load average ${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)} on ${host.cores} cores (${host.cpu}); onnxruntime ${host.onnxruntime}\n`);
  return EXIT.ok;
}
