// Timing for calibration and for bench:predict: onnxruntime at one thread, as `lithe bench` runs it, reporting
// both the wall time of a run and its CPU time. On a machine shared with other work the wall time counts the
// waits for a core; at one thread the CPU time does not, but it counts the process's other threads (the
// garbage collector's, marking while a run waits); the lesser of the two is what an idle core would take.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelProto } from 'onnx-buf';
import { createSession } from '../runtime/session.ts';
import { feeds } from '../runtime/latency.ts';

/** Medians over the runs of the wall time, the CPU time and the lesser of the two per run (`ms`). */
export interface Timing { wall_ms: number; cpu_ms: number; ms: number; runs: number }

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]!; };

export async function timeModel(model: ModelProto, opts: { runs?: number; warmup?: number } = {}): Promise<Timing> {
  const session = await createSession(model, { threads: 1 });
  try {
    const input = feeds(model, 1);
    for (let i = 0; i < (opts.warmup ?? 2); i++) await session.run(input);
    const [wall, cpu, least] = [[] as number[], [] as number[], [] as number[]];
    for (let i = 0; i < (opts.runs ?? 10); i++) {
      const [t0, c0] = [performance.now(), process.cpuUsage()];
      await session.run(input);
      const c = process.cpuUsage(c0);
      wall.push(performance.now() - t0);
      cpu.push((c.user + c.system) / 1000);
      least.push(Math.min(wall.at(-1)!, cpu.at(-1)!));
    }
    return { wall_ms: median(wall), cpu_ms: median(cpu), ms: median(least), runs: wall.length };
  } finally {
    await session.release();
  }
}

/**
 * onnxruntime's own time for each of its kernels in a run of `model` at one thread (its profiler), the
 * median over `runs` runs after `warmup`, keyed by the name of the node it ran (a fused kernel is named after
 * a node or the value it writes; onnxruntime's suffixes `_nchwc`, `_token_N` and `/XFusion/` dropped), the
 * times of kernels of one key summed per run. The profiler's file goes to a temporary folder, removed after.
 */
export async function timeKernels(model: ModelProto, opts: { runs?: number; warmup?: number } = {}): Promise<Map<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-profile-'));
  try {
    const session = await createSession(model, { threads: 1, profileTo: join(dir, 'ort') });
    const [warmup, runs] = [opts.warmup ?? 2, opts.runs ?? 10];
    try {
      const input = feeds(model, 1);
      for (let i = 0; i < warmup + runs; i++) await session.run(input);
      session.endProfiling();
    } finally {
      await session.release();
    }
    const file = readdirSync(dir).find((f) => f.endsWith('.json'));
    const events = file ? (JSON.parse(readFileSync(join(dir, file), 'utf8')) as ProfileEvent[]) : [];
    return perKernel(events, warmup + runs, runs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ProfileEvent { cat: string; name: string; dur: number }

/** A profiled kernel's key: the node name without onnxruntime's suffixes. */
export const kernelKey = (event: string): string =>
  event.replace(/_kernel_time$/, '').replace(/\/\w*Fusion\/?$/, '').replace(/_token_\d+$/, '').replace(/_nchwc$/, '');

/** Per key, the median over the last `runs` of `total` runs of its kernels' summed time, in ms. */
function perKernel(events: readonly ProfileEvent[], total: number, runs: number): Map<string, number> {
  const times = new Map<string, number[]>();
  for (const e of events) if (e.cat === 'Node' && e.name.endsWith('_kernel_time')) {
    const key = kernelKey(e.name);
    (times.get(key) ?? times.set(key, []).get(key)!).push(e.dur / 1000);
  }
  const out = new Map<string, number>();
  for (const [key, ts] of times) {
    const per = Math.max(1, Math.round(ts.length / total)); // kernels of this key in one run
    const last = ts.slice(-runs * per);
    out.set(key, median(Array.from({ length: Math.floor(last.length / per) }, (_, r) => last.slice(r * per, (r + 1) * per).reduce((a, t) => a + t, 0))));
  }
  return out;
}
