// How a run measures latency, recorded in report.json and report.md beside the figures, so a reader can judge
// them: the statistic, warm-up and runs (runtime/latency.ts's defaults, shared with `lithe bench`), and the
// host: CPU model, cores, platform and the onnxruntime release.
import { cpus, platform, release } from 'node:os';
import { createRequire } from 'node:module';
import { LATENCY_DEFAULTS } from '../runtime/protocol.ts';
import { LATENCY_THREADS } from './measure.ts';

export interface LatencyMethod {
  threads: number[]; batch: number; statistic: string; warmup: string; runs: string; gc: string; spinning: string;
  host: { cpu: string; cores: number; platform: string; onnxruntime: string };
}

const ortVersion = (): string => {
  try { return (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version; } catch { return 'unknown'; }
};

export function latencyMethod(): LatencyMethod {
  const d = LATENCY_DEFAULTS;
  const cpu = cpus();
  return {
    threads: [...LATENCY_THREADS], batch: 1,
    statistic: 'median (p90, fastest and CPU time per run in report.json) at batch 1, one onnxruntime session per figure, as `lithe bench` measures',
    warmup: `at least ${d.warmup} warm-up runs spanning ${d.warmupSeconds} s`,
    runs: `at least ${d.runs} timed runs spanning ${d.seconds} s (at most ${10 * d.runs})`,
    gc: 'a full garbage collection before the warm-up',
    spinning: "onnxruntime's default (on)",
    host: { cpu: cpu[0]?.model.trim() ?? 'unknown', cores: cpu.length, platform: `${platform()} ${release()}`, onnxruntime: ortVersion() },
  };
}
