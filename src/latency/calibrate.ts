// `lithe target calibrate`: times the micro-benchmarks (micro.ts) on this CPU at one thread, in float and in
// lithe's int8 (the same Q/DQ quantization a recipe's `quantize int8` writes), and fits a `latency` block:
// the fastest dense kernel's rate is the precision's peak, every kind's median rate a share of it, the
// 3-channel first conv its own, the Add and the MaxPool the memory efficiency, the activations their cost per
// element, a chain of tiny ops the launch cost; then each peak is anchored on one whole model (ANCHOR).
import type { ModelProto } from 'onnx-buf';
import { TensorProto_DataType as DT } from 'onnx-buf';
import { hostname, cpus } from 'node:os';
import { Graph } from '../onnx/graph.ts';
import { graph, model, node, valueInfo } from '../onnx/make.ts';
import { timeModel } from './timing.ts';
import { quantizeInt8 } from '../passes/quantize/int8.ts';
import type { Efficiency, LatencyFactors, Precision, Target } from '../targets/target.ts';
import { kernelsOf, type Kernel } from './kernels.ts';
import { inContext, isElementwise, MICRO_BENCHES, microModel, UNARY_OPS, type MicroBench } from './micro.ts';
import { elementwiseKey, predictLatency, WIDTH } from './predict.ts';
import { zooByName } from '../zoo/registry.ts';

/** What onnxruntime's CPU execution provider runs inside a conv's kernel: BatchNormalization (folded into
 *  the weights), the activations of its fused Conv (Relu, LeakyRelu, Clip, Sigmoid, Tanh, HardSigmoid) and a
 *  constant Add (a bias). Mul, Softplus and HardSwish are kernels of their own, so SiLU and mish are too. */
export const ORT_CPU_FUSED = ['Add', 'BatchNormalization', 'Clip', 'HardSigmoid', 'LeakyRelu', 'Relu', 'Sigmoid', 'Tanh'];
const X86_FUSED: ReadonlySet<string> = new Set(ORT_CPU_FUSED);
/** What its QDQ fusions put inside an int8 conv (QLinearConv): the bias. LeakyRelu and Sigmoid become
 *  QLinearLeakyRelu and QLinearSigmoid kernels of their own (yolov4-tiny at 416: 21 QLinearLeakyRelu kernels,
 *  7% of the run). Relu and Clip are listed as fused although, with lithe's symmetric int8 (zero point 0),
 *  onnxruntime runs them in float between DequantizeLinear and QuantizeLinear (ssd-lite at 320: Q, DQ and
 *  Clip were 45% of its profiled int8 run): charging that as memory traffic at the calibrated bandwidth
 *  predicted ssd-lite's int8 at 2.6x its measured time, worse than leaving them fused (1.2-1.4x). */
export const ORT_CPU_FUSED_INT8 = ['Add', 'BatchNormalization', 'Clip', 'Relu'];
/** onnxruntime's CPU fusions of element-wise ops among themselves: x * Sigmoid(x) (SiLU) as QuickGelu. */
export const ORT_CPU_CHAINED = ['Mul', 'Sigmoid'];

/** One micro-benchmark's kernel and time; `chained`: timed as a difference of chains (no run overhead, no
 *  quantization of a float input and output). */
export interface Sample { bench: string; side: number; kernel: Kernel; ms: number; chained?: boolean }
export interface CalibrateOptions { runs?: number; rounds?: number; say?: (line: string) => void }

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]!; };
const round3 = (x: number) => Number(x.toPrecision(3));

/** The median CPU time of a run (timing.ts: what an idle core would take). */
async function cpuTime(m: ModelProto, runs: number): Promise<number> {
  return (await timeModel(m, { runs, warmup: 2 })).cpu_ms;
}

/** The one heavy kernel of a micro-benchmark model (the conv, or the memory op). */
const mainKernel = (m: ModelProto): Kernel => kernelsOf(Graph.fromModel(m), 13, { fusable: X86_FUSED, fusableInt8: new Set(ORT_CPU_FUSED_INT8), chained: new Set(ORT_CPU_CHAINED) }).reduce((a, k) => (k.macs + k.activations > a.macs + a.activations ? k : a));

/** A chain of `n` Relu on 8 values: what one more kernel costs beyond the run itself. */
function chain(n: number): ModelProto {
  const nodes = Array.from({ length: n }, (_, i) => node('Relu', [i ? `v${i}` : 'x'], [i === n - 1 ? 'y' : `v${i + 1}`], {}, `relu${i}`));
  return model(graph('chain', nodes, [valueInfo('x', DT.FLOAT, [1, 8])], [valueInfo('y', DT.FLOAT, [1, 8])]));
}

async function int8Of(b: MicroBench, m: ModelProto): Promise<ModelProto> {
  const image = Float32Array.from({ length: b.cin * b.side * b.side }, (_, i) => Math.sin(i) * 0.5 + 0.5);
  return (await quantizeInt8(m, [image], { method: 'minmax', threads: 1 })).model;
}

/** One measurement: a model of one layer and, where channels chain, of three (their difference is two), or
 *  the layer in a model and that model without it (micro.ts inContext). */
interface Job { b: MicroBench; one: ModelProto; three?: ModelProto; base?: ModelProto; kernel: Kernel; t1: number; t3: number; tb: number }

async function jobs(b: MicroBench): Promise<Job[]> {
  // element-wise ops alone are mostly the run's copies of their input and output: timed in chains too
  const chains = (!b.op || isElementwise(b.op)) && b.cin === b.cout;
  const context = inContext(b);
  const float = { one: context?.with ?? microModel(b), three: chains ? microModel(b, 3) : undefined, base: context?.without };
  const out: Job[] = [{ b, ...float, kernel: mainKernel(microModel(b)), t1: Infinity, t3: Infinity, tb: Infinity }];
  if (b.op) return out;
  const one = await int8Of(b, float.one);
  const kernel = mainKernel(one);
  // lithe keeps some convs float in int8 (a narrow first conv, depthwise ones): nothing more to time; and an
  // int8 layer alone would be timed with the quantization of its float input and output, so only chains count
  if (kernel.precision === 'int8' && float.three) out.push({ b, one, three: float.three && await int8Of(b, float.three), kernel, t1: Infinity, t3: Infinity, tb: Infinity });
  return out;
}

/**
 * Times every micro-benchmark in float and int8: `rounds` passes over all of them, each the median CPU time
 * of `runs` runs, the least pass kept, so that a burst of load on a shared machine hits one pass, not the fit.
 */
export async function timeMicroBenches(opts: CalibrateOptions = {}): Promise<{ samples: Sample[]; kernelUs: number }> {
  const runs = opts.runs ?? 10;
  const todo = (await Promise.all(MICRO_BENCHES.map(jobs))).flat();
  const chains = [chain(1), chain(41)];
  const chainMs = [Infinity, Infinity];
  for (let r = 0; r < (opts.rounds ?? 3); r++) {
    for (const j of todo) {
      j.t1 = Math.min(j.t1, await cpuTime(j.one, runs));
      if (j.three) j.t3 = Math.min(j.t3, await cpuTime(j.three, runs));
      if (j.base) j.tb = Math.min(j.tb, await cpuTime(j.base, runs));
    }
    for (const [i, c] of chains.entries()) chainMs[i] = Math.min(chainMs[i]!, await cpuTime(c, runs * 4));
  }
  const ms = (j: Job) => (j.three ? (j.t3 - j.t1) / 2 : j.base ? j.t1 - j.tb : j.t1);
  const samples = todo.map((j) => ({ bench: j.b.id, side: j.b.side, kernel: j.kernel, ms: Math.max(1e-3, ms(j)), chained: !!(j.three ?? j.base) }));
  for (const s of samples) opts.say?.(`${s.bench.padEnd(28)} ${s.kernel.precision.padEnd(5)} ${s.kernel.kind.padEnd(10)} ${s.ms.toFixed(3)} ms`);
  return { samples, kernelUs: Math.max(0, ((chainMs[1]! - chainMs[0]!) / 40) * 1000) };
}

/** Kinds whose rate grows with the length of their dot products (depthwise and shallow convs have their own). */
const DEEP_KINDS: ReadonlySet<string> = new Set(['conv', 'pointwise']);

/**
 * The reduction length below which dense kernels slow down in proportion (int8 GEMMs on few input channels:
 * 33 GMAC/s at 32, 176 at 128, 430 at 576 here), or undefined where the samples show none: the length, of
 * those tried, at which the conv and 1x1 rates, each divided by min(1, depth / length), spread the least
 * about their kind's median, if that beats no length by a tenth.
 */
function fitDepth(of: readonly Sample[], rate: (s: Sample) => number): number | undefined {
  const dense = of.filter((s) => DEEP_KINDS.has(s.kernel.kind) && s.kernel.depth > 0);
  const spread = (len: number) => ['conv', 'pointwise'].reduce((sum, kind) => {
    const logs = dense.filter((s) => s.kernel.kind === kind).map((s) => Math.log(rate(s) / Math.min(1, s.kernel.depth / len)));
    const mid = logs.length ? median(logs) : 0;
    return sum + logs.reduce((a, l) => a + (l - mid) ** 2, 0);
  }, 0);
  const none = spread(1);
  let best: { len: number; spread: number } | undefined;
  for (let len = 16; len <= 2048; len *= 2 ** 0.25) {
    const s = spread(len);
    if (!best || s < best.spread) best = { len, spread: s };
  }
  return best && best.spread < 0.9 * none ? Math.round(best.len) : undefined;
}

/** How many times the median rate of its precision's dense kernels a sample may run before it counts as noise. */
export const OUTLIER_RATE = 4;

/**
 * The samples of one precision without those that ran implausibly fast, by the median rate of its dense kernels. A time taken as a difference (a layer
 * in context less the model without it, or a chain of three less one) comes out near zero when load moved
 * either side; such a sample is noise, not a fast kernel, and as the fastest it would set the peak and shrink
 * every efficiency (one such run fitted an fp32 peak of 338 TFLOPS). Left out, and said.
 */
export function plausible(of: readonly Sample[], rate: (s: Sample) => number, say?: (line: string) => void): Sample[] {
  // against the dense kernels, which set the peak: depthwise and shallow ones run slower by nature
  const dense = of.filter((s) => DEEP_KINDS.has(s.kernel.kind));
  if (!dense.length) return [...of];
  const mid = median(dense.map(rate));
  const keep = of.filter((s) => rate(s) <= OUTLIER_RATE * mid);
  for (const s of of) if (!keep.includes(s)) say?.(`${s.bench} (${s.kernel.precision}): ${s.ms.toFixed(3)} ms is ${(rate(s) / mid).toFixed(0)}× the median rate of its dense kernels, left out as implausible (most likely noise in a difference of two timings; time it again with --rounds on a quieter machine)`);
  return keep;
}

/** The `latency` block fitted to the samples, for a CPU whose memory bandwidth the profile states. */
export function fitFactors(samples: readonly Sample[], kernelUs: number, bandwidthGbps: number, source: string, say?: (line: string) => void): LatencyFactors {
  const movers = samples.filter((s) => s.kernel.kind === 'memory' && !Object.keys(s.kernel.elementwise).some((op) => (UNARY_OPS as readonly string[]).includes(op)));
  const memory = movers.map((s) => (s.kernel.activations * WIDTH.fp32) / (s.ms / 1000) / 1e9);
  const bandwidth = median(memory);
  const rate = (s: Sample) => s.kernel.macs / (Math.max(s.ms / 2, s.ms - kernelUs / 1000) / 1000);
  const weighted = samples.filter((s) => s.kernel.kind !== 'memory');
  const peak_tflops: Partial<Record<Precision, number>> = {};
  const efficiency: Partial<Record<Precision, Efficiency>> = {};
  const full_depth: Partial<Record<Precision, number>> = {};
  for (const p of [...new Set(weighted.map((s) => s.kernel.precision))].sort()) {
    const of = plausible(weighted.filter((s) => s.kernel.precision === p), rate, say);
    const depth = fitDepth(of, rate);
    if (depth) full_depth[p] = depth;
    const at = (s: Sample) => rate(s) / Math.min(1, s.kernel.depth / (depth ?? 1));
    const peak = Math.max(...of.map(at));
    peak_tflops[p] = round3((2 * peak) / 1e12);
    const eff: Efficiency = {};
    for (const kind of ['conv', 'depthwise', 'pointwise', 'shallow'] as const) {
      const rates = of.filter((s) => s.kernel.kind === kind).map(at);
      if (rates.length) eff[kind] = round3(Math.min(1, median(rates) / peak));
    }
    efficiency[p] = { ...eff, gemm: eff.pointwise ?? eff.conv };
  }
  const memory_efficiency = round3(Math.min(1, bandwidth / bandwidthGbps));
  const elementwise_ns: Record<string, number> = {};
  for (const s of samples) {
    // one unary op, or a chain run as one kernel (SiLU: keyed `Mul+Sigmoid`), per element of its output
    const key = elementwiseKey(s.kernel);
    const n = Math.max(0, ...Object.values(s.kernel.elementwise));
    if (s.kernel.kind === 'memory' && n && Object.keys(s.kernel.elementwise).some((op) => (UNARY_OPS as readonly string[]).includes(op))) elementwise_ns[key] = round3((s.ms * 1e6) / n);
  }
  return {
    peak_tflops, runs_as: { fp16: 'fp32' }, efficiency, ...(Object.keys(full_depth).length && { full_depth }), memory_efficiency, kernel_us: round3(kernelUs), fused_ops: ORT_CPU_FUSED, int8_fused_ops: ORT_CPU_FUSED_INT8, int8_needs_quantized_output: true, chained_ops: ORT_CPU_CHAINED, elementwise_ns,
    fitted_to: samples.map((s) => ({ model: `micro:${s.bench}`, size: s.side, precision: s.kernel.precision, ms: round3(s.ms), source })),
    notes: `fitted by lithe target calibrate on ${hostname()} (${cpus()[0]?.model ?? 'unknown CPU'}), onnxruntime CPU execution provider, 1 thread, ${new Date().toISOString().slice(0, 10)}`,
  };
}

/**
 * The whole-model check the peaks are anchored on: single layers leave out what a model adds between them
 * (caches warm from the last layer, the layout reorders onnxruntime inserts), so each precision's peak is
 * scaled until the predicted latency of this model equals its measured one; the kinds keep their shares.
 */
export const ANCHOR = { model: 'yolov3-tiny', size: 320 } as const;

/** The peak scale at which `t` predicts `ms` for `m` (predictions fall as the peak rises: bisection). */
function scalePeak(m: ModelProto, t: Target, p: Precision, ms: number): number {
  const f = t.latency!;
  const peak = f.peak_tflops![p]!;
  let [lo, hi] = [Math.log(0.1), Math.log(10)];
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    const at = predictLatency(m, { ...t, latency: { ...f, peak_tflops: { ...f.peak_tflops, [p]: peak * Math.exp(mid) } } }).ms;
    if (at > ms) lo = mid; else hi = mid;
  }
  return peak * Math.exp((lo + hi) / 2);
}

async function anchored(f: LatencyFactors, base: Target, opts: CalibrateOptions): Promise<LatencyFactors> {
  const z = zooByName.get(ANCHOR.model)!;
  const float = z.build({ size: ANCHOR.size, seed: 0 });
  const image = Float32Array.from({ length: 3 * ANCHOR.size ** 2 }, (_, i) => (i % 255) / 255);
  const models: [Precision, ModelProto][] = [['fp32', float], ['int8', (await quantizeInt8(float, [image], { method: 'minmax', threads: 1 })).model]];
  const ms = new Map<Precision, number>();
  for (let r = 0; r < (opts.rounds ?? 3); r++) for (const [p, m] of models) ms.set(p, Math.min(ms.get(p) ?? Infinity, await cpuTime(m, opts.runs ?? 10)));
  const out = { ...f, peak_tflops: { ...f.peak_tflops }, fitted_to: [...f.fitted_to] };
  for (const [p, m] of models) {
    if (!out.peak_tflops[p]) continue;
    out.peak_tflops[p] = round3(scalePeak(m, { ...base, latency: out }, p, ms.get(p)!));
    out.fitted_to.push({ model: ANCHOR.model, size: ANCHOR.size, precision: p, ms: round3(ms.get(p)!), source: 'lithe target calibrate: the peak is scaled to this measured model (CPU time, 1 thread)' });
    opts.say?.(`${`${ANCHOR.model}@${ANCHOR.size}`.padEnd(28)} ${p.padEnd(5)} ${'model'.padEnd(10)} ${ms.get(p)!.toFixed(3)} ms: peak ${f.peak_tflops![p]} → ${out.peak_tflops[p]} TFLOPS`);
  }
  return out;
}

export async function calibrate(base: Target, opts: CalibrateOptions = {}): Promise<LatencyFactors> {
  const { samples, kernelUs } = await timeMicroBenches(opts);
  return anchored(fitFactors(samples, kernelUs, base.memory.bandwidth_gbps, 'lithe target calibrate (median of timed runs)', opts.say), base, opts);
}
