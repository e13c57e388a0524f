// Timing for calibration and for bench:predict: onnxruntime at one thread, as `lithe bench` runs it, reporting
// both the wall time of a run and its CPU time. On a machine shared with other work the wall time counts the
// waits for a core; at one thread the CPU time does not, so it is what the device would take idle.
import type { ModelProto } from 'onnx-buf';
import { createSession } from '../runtime/session.ts';
import { feeds } from '../runtime/latency.ts';

export interface Timing { wall_ms: number; cpu_ms: number; runs: number }

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]!; };

export async function timeModel(model: ModelProto, opts: { runs?: number; warmup?: number } = {}): Promise<Timing> {
  const session = await createSession(model, { threads: 1 });
  try {
    const input = feeds(model, 1);
    for (let i = 0; i < (opts.warmup ?? 2); i++) await session.run(input);
    const [wall, cpu] = [[] as number[], [] as number[]];
    for (let i = 0; i < (opts.runs ?? 10); i++) {
      const [t0, c0] = [performance.now(), process.cpuUsage()];
      await session.run(input);
      const c = process.cpuUsage(c0);
      wall.push(performance.now() - t0);
      cpu.push((c.user + c.system) / 1000);
    }
    return { wall_ms: median(wall), cpu_ms: median(cpu), runs: wall.length };
  } finally {
    await session.release();
  }
}
