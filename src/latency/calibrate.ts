// `lithe target calibrate`: times the micro-benchmarks (micro.ts) on this CPU at one thread, in float and in
// lithe's int8 (the same Q/DQ quantization a recipe's `quantize int8` writes), and fits a `latency` block:
// the fastest dense kernel's rate is the precision's peak, every kind's median rate a share of it, the
// 3-channel first conv sets full_depth, the Add the memory efficiency, a chain of tiny ops the launch cost.
import type { ModelProto } from 'onnx-buf';
import { TensorProto_DataType as DT } from 'onnx-buf';
import { hostname, cpus } from 'node:os';
import { Graph } from '../onnx/graph.ts';
import { graph, model, node, valueInfo } from '../onnx/make.ts';
import { measureLatency } from '../runtime/latency.ts';
import { quantizeInt8 } from '../passes/quantize/int8.ts';
import type { Efficiency, LatencyFactors, Precision, Target } from '../targets/target.ts';
import { kernelsOf, type Kernel } from './kernels.ts';
import { MICRO_BENCHES, microModel, type MicroBench } from './micro.ts';
import { WIDTH } from './predict.ts';

export interface Sample { bench: string; side: number; kernel: Kernel; ms: number }
export interface CalibrateOptions { runs?: number; rounds?: number; say?: (line: string) => void }

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]!; };
const round3 = (x: number) => Number(x.toPrecision(3));

async function time(m: ModelProto, runs: number): Promise<number> {
  return (await measureLatency(m, { threads: 1, warmup: 3, runs })).median_ms;
}

/** The one heavy kernel of a micro-benchmark model (the conv, or the memory op). */
const mainKernel = (m: ModelProto): Kernel => kernelsOf(Graph.fromModel(m), 13).reduce((a, k) => (k.macs + k.activations > a.macs + a.activations ? k : a));

/** A chain of `n` Relu on 8 values: what one more kernel costs beyond the run itself. */
function chain(n: number): ModelProto {
  const nodes = Array.from({ length: n }, (_, i) => node('Relu', [i ? `v${i}` : 'x'], [i === n - 1 ? 'y' : `v${i + 1}`], {}, `relu${i}`));
  return model(graph('chain', nodes, [valueInfo('x', DT.FLOAT, [1, 8])], [valueInfo('y', DT.FLOAT, [1, 8])]));
}

async function int8Of(b: MicroBench, m: ModelProto): Promise<ModelProto | undefined> {
  if (b.op) return undefined;
  const image = Float32Array.from({ length: b.cin * b.side * b.side }, (_, i) => Math.sin(i) * 0.5 + 0.5);
  return (await quantizeInt8(m, [image], { method: 'minmax', threads: 1 })).model;
}

/**
 * Times every micro-benchmark, float and int8: `rounds` passes over all of them, each a median of `runs`
 * timed runs, and the fastest pass kept, so that a burst of load on a shared machine hits one pass, not the fit.
 */
export async function timeMicroBenches(opts: CalibrateOptions = {}): Promise<{ samples: Sample[]; kernelUs: number }> {
  const runs = opts.runs ?? 10;
  const todo: { b: MicroBench; m: ModelProto; kernel: Kernel; ms: number }[] = [];
  for (const b of MICRO_BENCHES) {
    const float = microModel(b);
    const q = await int8Of(b, float);
    for (const m of [float, ...(q ? [q] : [])]) todo.push({ b, m, kernel: mainKernel(m), ms: Infinity });
  }
  const chains = [{ m: chain(1), ms: Infinity }, { m: chain(41), ms: Infinity }];
  for (let r = 0; r < (opts.rounds ?? 3); r++) {
    for (const t of [...todo, ...chains]) t.ms = Math.min(t.ms, await time(t.m, runs));
  }
  for (const t of todo) opts.say?.(`${t.b.id.padEnd(28)} ${t.kernel.precision.padEnd(5)} ${t.kernel.kind.padEnd(10)} ${t.ms.toFixed(3)} ms`);
  const samples = todo.map((t) => ({ bench: t.b.id, side: t.b.side, kernel: t.kernel, ms: t.ms }));
  return { samples, kernelUs: Math.max(0, ((chains[1]!.ms - chains[0]!.ms) / 40) * 1000) };
}

/** The `latency` block fitted to the samples, for a CPU whose memory bandwidth the profile states. */
export function fitFactors(samples: readonly Sample[], kernelUs: number, bandwidthGbps: number, source: string): LatencyFactors {
  const memory = samples.filter((s) => s.kernel.kind === 'memory').map((s) => (s.kernel.activations * WIDTH.fp32) / (s.ms / 1000) / 1e9);
  const bandwidth = median(memory);
  // an int8 micro-model also quantizes its float input and dequantizes its output, which a quantized
  // model does only at its ends: that memory-bound work is taken off before the rate is computed
  const boundary = (s: Sample) => (s.kernel.precision === 'int8' ? (s.kernel.activations * (WIDTH.fp32 + WIDTH.int8)) / (bandwidth * 1e6) : 0);
  const rate = (s: Sample) => s.kernel.macs / (Math.max(s.ms * 0.1, s.ms - kernelUs / 1000 - boundary(s)) / 1000);
  const weighted = samples.filter((s) => s.kernel.kind !== 'memory');
    const peak_tflops: Partial<Record<Precision, number>> = {};
  const efficiency: Partial<Record<Precision, Efficiency>> = {};
  for (const p of [...new Set(weighted.map((s) => s.kernel.precision))].sort()) {
    const of = weighted.filter((s) => s.kernel.precision === p);
    const peak = Math.max(...of.map(rate));
    peak_tflops[p] = round3((2 * peak) / 1e12);
    const eff: Efficiency = {};
    for (const kind of ['conv', 'depthwise', 'pointwise', 'shallow'] as const) {
      const rates = of.filter((s) => s.kernel.kind === kind).map(rate);
      if (rates.length) eff[kind] = round3(Math.min(1, median(rates) / peak));
    }
    efficiency[p] = { ...eff, gemm: eff.pointwise ?? eff.conv };
  }
  const memory_efficiency = round3(Math.min(1, bandwidth / bandwidthGbps));
  return {
    peak_tflops, runs_as: { fp16: 'fp32' }, efficiency, memory_efficiency, kernel_us: round3(kernelUs),
    fitted_to: samples.map((s) => ({ model: `micro:${s.bench}`, size: s.side, precision: s.kernel.precision, ms: round3(s.ms), source })),
    notes: `fitted by lithe target calibrate on ${hostname()} (${cpus()[0]?.model ?? 'unknown CPU'}), onnxruntime CPU execution provider, 1 thread, ${new Date().toISOString().slice(0, 10)}`,
  };
}

export async function calibrate(base: Target, opts: CalibrateOptions = {}): Promise<LatencyFactors> {
  const { samples, kernelUs } = await timeMicroBenches(opts);
  return fitFactors(samples, kernelUs, base.memory.bandwidth_gbps, 'lithe target calibrate (median of timed runs)');
}
