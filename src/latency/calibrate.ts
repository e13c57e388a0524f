// `lithe target calibrate`: times the micro-benchmarks (micro.ts) on this CPU at one thread, in float and in
// lithe's int8 (the same Q/DQ quantization a recipe's `quantize int8` writes), each kernel by onnxruntime's
// own profiler, and fits a `latency` block: the fastest dense kernel's rate is the precision's peak, every
// kind's median rate a share of it, how the rate falls with short dot products (half depths), the Add and
// the MaxPool the memory efficiency, the activations their cost per element (in int8 with their Q/DQ), the
// convs on tiny maps a kernel's fixed cost, the layout changes around the float chains their cost per
// element, a chain of tiny ops the launch cost; then each peak is anchored on one whole model (ANCHOR).
import type { ModelProto } from 'onnx-buf';
import { TensorProto_DataType as DT } from 'onnx-buf';
import { readFileSync } from 'node:fs';
import { hostname, cpus } from 'node:os';
import { Graph } from '../onnx/graph.ts';
import { graph, model, node, valueInfo } from '../onnx/make.ts';
import { timeKernels, timeModel } from './timing.ts';
import { quantizeInt8 } from '../passes/quantize/int8.ts';
import type { Efficiency, LatencyFactors, Precision, Target } from '../targets/target.ts';
import { kernelsOf, type Kernel } from './kernels.ts';
import { MICRO_BENCHES, timedModel, UNARY_OPS, type MicroBench } from './micro.ts';
import { DEPTH_KINDS, depthShare, elementwiseKey, predictLatency, WIDTH } from './predict.ts';
import { zooByName } from '../zoo/registry.ts';

/** What onnxruntime's CPU execution provider runs inside a conv's kernel: BatchNormalization (folded into
 *  the weights), the activations of its fused Conv (Relu, LeakyRelu, Clip, Sigmoid, Tanh, HardSigmoid) and a
 *  constant Add (a bias). Mul, Softplus and HardSwish are kernels of their own, so SiLU and mish are too. */
export const ORT_CPU_FUSED = ['Add', 'BatchNormalization', 'Clip', 'HardSigmoid', 'LeakyRelu', 'Relu', 'Sigmoid', 'Tanh'];
const X86_FUSED: ReadonlySet<string> = new Set(ORT_CPU_FUSED);
/** What its QDQ fusions put inside an int8 conv (QLinearConv): the bias. LeakyRelu and Sigmoid become
 *  QLinearLeakyRelu and QLinearSigmoid kernels of their own (yolov4-tiny at 416: 21 QLinearLeakyRelu kernels,
 *  7% of the run); with lithe's symmetric int8 (zero point 0) onnxruntime cannot drop a Relu or Clip into the
 *  quantization's range, so it runs them in float between DequantizeLinear and QuantizeLinear (ssd-lite at
 *  320: 3.5 ms of Q/DQ in 10.7). Each is timed in int8 with its Q/DQ (`int8_elementwise_ns`). */
export const ORT_CPU_FUSED_INT8 = ['Add', 'BatchNormalization'];
/** onnxruntime's CPU fusions of element-wise ops among themselves: x * Sigmoid(x) (SiLU) as QuickGelu. */
export const ORT_CPU_CHAINED = ['Mul', 'Sigmoid'];

/** One micro-benchmark's kernel and onnxruntime's time for it. */
export interface Sample { bench: string; side: number; kernel: Kernel; ms: number; fixed?: boolean }
export interface CalibrateOptions { runs?: number; rounds?: number; say?: (line: string) => void }

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]!; };
const round3 = (x: number) => Number(x.toPrecision(3));

/** The median time of a run, the lesser of its CPU and wall time (timing.ts: what an idle core would take). */
async function runTime(m: ModelProto, runs: number): Promise<number> {
  return (await timeModel(m, { runs, warmup: 2 })).ms;
}

/**
 * The channel block of onnxruntime's NCHWc layout on this CPU (MLAS: 16 floats, an AVX-512 register; 8 with
 * AVX2), or undefined where it has no NCHWc kernels (other CPUs) or the flags cannot be read (not Linux).
 */
export function nchwcBlock(): number | undefined {
  let flags = '';
  try { flags = /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? ''; } catch { return undefined; }
  const has = (f: string) => flags.split(/\s+/).includes(f);
  return has('avx512f') ? 16 : has('avx2') ? 8 : undefined;
}
const BLOCK = nchwcBlock();

/** How many times in each round of micro-benchmarks the whole models (the anchor) are timed. */
const ANCHOR_PASSES = 6;

/** How onnxruntime's CPU provider groups the benchmarks' ops into kernels (as x86's profile says). */
const ORT_KERNELS = { fusable: X86_FUSED, fusableInt8: new Set(ORT_CPU_FUSED_INT8), chained: new Set(ORT_CPU_CHAINED), int8NeedsQuantizedOutput: true, channelBlock: BLOCK } as const;

/** A chain of `n` Relu on 8 values: what one more kernel costs beyond the run itself. */
function chain(n: number): ModelProto {
  const nodes = Array.from({ length: n }, (_, i) => node('Relu', [i ? `v${i}` : 'x'], [i === n - 1 ? 'y' : `v${i + 1}`], {}, `relu${i}`));
  return model(graph('chain', nodes, [valueInfo('x', DT.FLOAT, [1, 8])], [valueInfo('y', DT.FLOAT, [1, 8])]));
}

async function int8Of(b: MicroBench, m: ModelProto): Promise<ModelProto> {
  const image = Float32Array.from({ length: b.cin * b.side * b.side }, (_, i) => Math.sin(i) * 0.5 + 0.5);
  return (await quantizeInt8(m, [image], { method: 'minmax', threads: 1 })).model;
}

/** One kernel of a benchmark in one precision: the model it runs in (micro.ts timedModel), the names
 *  onnxruntime's profiler may give its kernels, its least time. */
interface Job { b: MicroBench; model: ModelProto; kernel: Kernel; keys: Set<string>; ms: number; reorderMs: number }

/**
 * The kernels of the timed layer of `m`: its conv, or its op, and in int8 the activation onnxruntime runs as
 * a kernel of its own after the conv (QLinearLeakyRelu; a Clip in float between DequantizeLinear and
 * QuantizeLinear, whose time counts as the Clip's: lithe's quantizer names them after the values).
 */
function layerJobs(b: MicroBench, m: ModelProto, names: readonly string[]): Job[] {
  const layer = new Set(names);
  const outputs = new Map(m.graph!.node.map((n) => [n.name, n.output]));
  const inputs = new Map(m.graph!.node.map((n) => [n.name, n.input]));
  return kernelsOf(Graph.fromModel(m), 13, ORT_KERNELS).filter((k) => layer.has(k.name)).map((kernel) => {
    const values = kernel.nodes.flatMap((n) => [...(inputs.get(n) ?? []), ...(outputs.get(n) ?? [])]);
    const qdq = kernel.kind === 'memory' ? values.flatMap((v) => [`${v}.quantize`, `${v}.dequantize`]) : [];
    return { b, model: m, kernel, keys: new Set([...kernel.nodes.flatMap((n) => [n, ...(outputs.get(n) ?? [])]), ...qdq]), ms: Infinity, reorderMs: Infinity };
  });
}

async function jobs(b: MicroBench): Promise<Job[]> {
  const { model: float, names } = timedModel(b);
  // lithe keeps some convs float in int8 (a narrow first conv): only kernels that run in int8 are int8 samples
  const int8 = layerJobs(b, await int8Of(b, float), names).filter((j) => j.kernel.precision === 'int8');
  return [...layerJobs(b, float, names), ...int8];
}

/**
 * Times every micro-benchmark in float and int8 with onnxruntime's profiler: `rounds` passes over all of
 * them, each the median of `runs` runs, the least pass kept, so that a burst of load on a shared machine hits
 * one pass, not the fit. The launch cost is the time of a chain of 41 tiny kernels less one of 1, per kernel.
 */
export async function timeMicroBenches(opts: CalibrateOptions = {}, models: readonly ModelProto[] = []): Promise<{ samples: Sample[]; kernelUs: number; reorderNs?: number; modelMs: number[] }> {
  const runs = opts.runs ?? 10;
  const todo = (await Promise.all(MICRO_BENCHES.map(jobs))).flat();
  for (const b of MICRO_BENCHES) if (!todo.some((j) => j.b === b)) opts.say?.(`${b.id}: no kernel of its own in its model (fused into another); left out`);
  const chains = [chain(1), chain(41)];
  const chainMs = [Infinity, Infinity];
  const modelMs = models.map(() => Infinity);
  for (let r = 0; r < (opts.rounds ?? 3); r++) {
    for (const [i, j] of todo.entries()) {
      // whole models are timed at ANCHOR_PASSES points of each round, so that a slow spell of the machine
      // (a shared VM's speed moved by a third within minutes) hits some of their passes, not all
      if (i % Math.ceil(todo.length / ANCHOR_PASSES) === 0) {
        for (const [at, m] of models.entries()) modelMs[at] = Math.min(modelMs[at]!, await runTime(m, runs));
      }
      const times = await timeKernels(j.model, { runs, warmup: 2 });
      const ms = [...times].filter(([key]) => j.keys.has(key)).reduce((a, [, t]) => a + t, 0);
      if (ms > 0) j.ms = Math.min(j.ms, ms);
      // a float chain's input is reordered into onnxruntime's NCHWc layout and its output back: what one
      // element's change of layout costs
      const reorder = (times.get('ReorderInput') ?? 0) + (times.get('ReorderOutput') ?? 0);
      if (reorder > 0) j.reorderMs = Math.min(j.reorderMs, reorder);
    }
    for (const [i, c] of chains.entries()) chainMs[i] = Math.min(chainMs[i]!, await runTime(c, runs * 4));
  }
  const timed = todo.filter((j) => Number.isFinite(j.ms));
  for (const j of todo) if (!timed.includes(j)) opts.say?.(`${j.b.id} (${j.kernel.precision}): onnxruntime's profile named no kernel after its layer; left out`);
  const samples = timed.map((j) => ({ bench: j.b.id, side: j.b.side, kernel: j.kernel, ms: j.ms, ...(j.b.fixed && { fixed: true }) }));
  for (const s of samples) opts.say?.(`${s.bench.padEnd(28)} ${s.kernel.precision.padEnd(5)} ${s.kernel.kind.padEnd(10)} ${s.ms.toFixed(3)} ms`);
  // over the float conv chains (a reorder of cin and one of cout channels at side x side)
  const reorders = timed.filter((j) => !j.b.op && j.b.cin === j.b.cout && j.b.group === 1 && j.kernel.precision === 'fp32' && Number.isFinite(j.reorderMs));
  const reorderNs = reorders.length ? median(reorders.map((j) => (j.reorderMs * 1e6) / ((j.b.cin + j.b.cout) * j.b.side ** 2))) : undefined;
  return { samples, kernelUs: Math.max(0, ((chainMs[1]! - chainMs[0]!) / 40) * 1000), reorderNs, modelMs };
}

/**
 * The reduction length at which dense kernels run at half their rate (predict.ts depthShare: fixed work per
 * output element; onnxruntime's fp32 1x1 convs here ran 34 GMAC/s on 16 input channels, 53 on 32, 64 on 64,
 * 75-82 from 256 on), or undefined where the samples show none: the length, of those tried, at which the
 * conv and 1x1 rates, each divided by their share, spread the least about their kind's median, if that
 * beats no length by a tenth.
 */
function fitDepth(of: readonly Sample[], rate: (s: Sample) => number, kinds: readonly string[]): number | undefined {
  const dense = of.filter((s) => kinds.includes(s.kernel.kind) && s.kernel.depth > 0);
  if (new Set(dense.map((s) => s.kernel.depth)).size < 2) return undefined;
  const spread = (half: number) => kinds.reduce((sum, kind) => {
    const logs = dense.filter((s) => s.kernel.kind === kind).map((s) => Math.log(rate(s) / (half ? depthShare(s.kernel.depth, half) : 1)));
    const mid = logs.length ? median(logs) : 0;
    return sum + logs.reduce((a, l) => a + (l - mid) ** 2, 0);
  }, 0);
  const none = spread(0);
  let best: { half: number; spread: number } | undefined;
  for (let half = 2; half <= 1024; half *= 2 ** 0.125) {
    const s = spread(half);
    if (!best || s < best.spread) best = { half, spread: s };
  }
  return best && best.spread < 0.9 * none ? Math.round(best.half) : undefined;
}

/** How many times the median rate of its precision's dense kernels a sample may run before it counts as noise. */
export const OUTLIER_RATE = 4;

/**
 * The samples of one precision without those that ran implausibly fast, by the median rate of its dense
 * kernels. Such a sample is noise, not a fast kernel (when times were differences of two timings, one came out
 * near zero and fitted an fp32 peak of 338 TFLOPS); as the fastest it would set the peak and shrink every
 * efficiency. Left out, and said.
 */
export function plausible(of: readonly Sample[], rate: (s: Sample) => number, say?: (line: string) => void): Sample[] {
  // against the dense kernels, which set the peak: depthwise and shallow ones run slower by nature
  const dense = of.filter((s) => DEPTH_KINDS.has(s.kernel.kind));
  if (!dense.length) return [...of];
  const mid = median(dense.map(rate));
  const keep = of.filter((s) => rate(s) <= OUTLIER_RATE * mid);
  for (const s of of) if (!keep.includes(s)) say?.(`${s.bench} (${s.kernel.precision}): ${s.ms.toFixed(3)} ms is ${(rate(s) / mid).toFixed(0)}× the median rate of its dense kernels, left out as implausible (most likely noise in a difference of two timings; time it again with --rounds on a quieter machine)`);
  return keep;
}

/** The `latency` block fitted to the samples, for a CPU whose memory bandwidth the profile states. */
export function fitFactors(samples: readonly Sample[], kernelUs: number, bandwidthGbps: number, source: string, say?: (line: string) => void, reorderNs?: number): LatencyFactors {
  const movers = samples.filter((s) => s.kernel.kind === 'memory' && s.kernel.precision === 'fp32' && !Object.keys(s.kernel.elementwise).some((op) => (UNARY_OPS as readonly string[]).includes(op)));
  const memory = movers.map((s) => (s.kernel.activations * WIDTH.fp32) / (s.ms / 1000) / 1e9);
  const bandwidth = median(memory);
  const rate = (s: Sample) => s.kernel.macs / (s.ms / 1000);
  const weighted = samples.filter((s) => s.kernel.kind !== 'memory' && !s.fixed);
  const peak_tflops: Partial<Record<Precision, number>> = {};
  const efficiency: Partial<Record<Precision, Efficiency>> = {};
  const half_depth: Partial<Record<Precision, number>> = {};
  const shallow_half_depth: Partial<Record<Precision, number>> = {};
  const weighted_kernel_us: Partial<Record<Precision, number>> = {};
  for (const p of [...new Set(weighted.map((s) => s.kernel.precision))].sort()) {
    const of = plausible(weighted.filter((s) => s.kernel.precision === p), rate, say);
    const [depth, shallow] = [fitDepth(of, rate, ['conv', 'pointwise']), fitDepth(of, rate, ['shallow'])];
    if (depth) half_depth[p] = depth;
    if (shallow) shallow_half_depth[p] = shallow;
    const half = (s: Sample) => (s.kernel.kind === 'shallow' ? shallow : DEPTH_KINDS.has(s.kernel.kind) ? depth : undefined);
    const at = (s: Sample) => rate(s) / (half(s) ? depthShare(s.kernel.depth, half(s)!) : 1);
    const peak = Math.max(...of.map(at));
    peak_tflops[p] = round3((2 * peak) / 1e12);
    const eff: Efficiency = {};
    for (const kind of ['conv', 'depthwise', 'pointwise', 'shallow'] as const) {
      const rates = of.filter((s) => s.kernel.kind === kind).map(at);
      if (rates.length) eff[kind] = round3(Math.min(1, median(rates) / peak));
    }
    efficiency[p] = { ...eff, gemm: eff.pointwise ?? eff.conv };
    // what a conv on a tiny map takes beyond its multiply-adds at the rates just fitted
    const kindEff = (s: Sample) => (s.kernel.kind === 'memory' ? undefined : eff[s.kernel.kind]);
    const over = samples.filter((s) => s.fixed && s.kernel.precision === p && kindEff(s)).map((s) => s.ms - s.kernel.macs / (peak * kindEff(s)! * (half(s) ? depthShare(s.kernel.depth, half(s)!) : 1)) * 1000);
    if (over.length && median(over) > 0) weighted_kernel_us[p] = round3(median(over) * 1000);
  }
  const memory_efficiency = round3(Math.min(1, bandwidth / bandwidthGbps));
  const ns: Record<'fp32' | 'int8', Map<string, number[]>> = { fp32: new Map(), int8: new Map() };
  for (const s of samples) {
    // one unary op, or a chain run as one kernel (SiLU: keyed `Mul+Sigmoid`), per element of its output; in
    // int8 every op (QLinear kernels, and float ops between DequantizeLinear and QuantizeLinear)
    const key = elementwiseKey(s.kernel);
    const n = Math.max(0, ...Object.values(s.kernel.elementwise));
    if (s.kernel.kind !== 'memory' || !n) continue;
    const table = s.kernel.precision === 'int8' ? ns.int8 : Object.keys(s.kernel.elementwise).some((op) => (UNARY_OPS as readonly string[]).includes(op)) ? ns.fp32 : undefined;
    table?.set(key, [...(table.get(key) ?? []), (s.ms * 1e6) / n]);
  }
  // the median of the samples of one op (int8 LeakyRelu follows every conv benchmark)
  const perOp = (m: Map<string, number[]>) => Object.fromEntries([...m].map(([k, v]) => [k, round3(median(v))]));
  const [elementwise_ns, int8_elementwise_ns] = [perOp(ns.fp32), perOp(ns.int8)];
  return {
    peak_tflops, runs_as: { fp16: 'fp32' }, efficiency, ...(Object.keys(half_depth).length && { half_depth }), ...(Object.keys(shallow_half_depth).length && { shallow_half_depth }), ...(BLOCK && { channel_block: BLOCK }), ...(BLOCK && reorderNs && { reorder_ns: round3(reorderNs) }), memory_efficiency, kernel_us: round3(kernelUs), ...(Object.keys(weighted_kernel_us).length && { weighted_kernel_us }), fused_ops: ORT_CPU_FUSED, int8_fused_ops: ORT_CPU_FUSED_INT8, int8_needs_quantized_output: true, chained_ops: ORT_CPU_CHAINED, elementwise_ns, int8_elementwise_ns,
    fitted_to: samples.map((s) => ({ model: `micro:${s.bench}${s.kernel.kind === 'memory' && MICRO_BENCHES.some((b) => b.id === s.bench && !b.op) ? `:${elementwiseKey(s.kernel)}` : ''}`, size: s.side, precision: s.kernel.precision, ms: round3(s.ms), source })),
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

/** The anchor model in float and in lithe's int8, to be timed with the micro-benchmarks. */
async function anchorModels(): Promise<[Precision, ModelProto][]> {
  const float = zooByName.get(ANCHOR.model)!.build({ size: ANCHOR.size, seed: 0 });
  const image = Float32Array.from({ length: 3 * ANCHOR.size ** 2 }, (_, i) => (i % 255) / 255);
  return [['fp32', float], ['int8', (await quantizeInt8(float, [image], { method: 'minmax', threads: 1 })).model]];
}

function anchored(f: LatencyFactors, base: Target, models: [Precision, ModelProto][], ms: number[], opts: CalibrateOptions): LatencyFactors {
  const out = { ...f, peak_tflops: { ...f.peak_tflops }, fitted_to: [...f.fitted_to] };
  for (const [i, [p, m]] of models.entries()) {
    if (!out.peak_tflops[p]) continue;
    out.peak_tflops[p] = round3(scalePeak(m, { ...base, latency: out }, p, ms[i]!));
    out.fitted_to.push({ model: ANCHOR.model, size: ANCHOR.size, precision: p, ms: round3(ms[i]!), source: 'lithe target calibrate: the peak is scaled to this measured model (1 thread, the lesser of CPU and wall time)' });
    opts.say?.(`${`${ANCHOR.model}@${ANCHOR.size}`.padEnd(28)} ${p.padEnd(5)} ${'model'.padEnd(10)} ${ms[i]!.toFixed(3)} ms: peak ${f.peak_tflops![p]} → ${out.peak_tflops[p]} TFLOPS`);
  }
  return out;
}

export async function calibrate(base: Target, opts: CalibrateOptions = {}): Promise<LatencyFactors> {
  const anchors = await anchorModels();
  const { samples, kernelUs, reorderNs, modelMs } = await timeMicroBenches(opts, anchors.map(([, m]) => m));
  return anchored(fitFactors(samples, kernelUs, base.memory.bandwidth_gbps, 'lithe target calibrate (onnxruntime\'s profile of its kernels, median of timed runs)', opts.say, reorderNs), base, anchors, modelMs, opts);
}
