// The roofline latency model: each kernel takes the longer of its compute time (MACs over the precision's
// peak, times the efficiency its kind reaches on the target) and its memory time (bytes moved over the
// bandwidth the target's kernels reach), plus a fixed launch cost; the model's latency is their sum (batch 1,
// kernels run one after another). The factors are data in the target profile's `latency` block.
import type { ModelProto } from 'onnx-buf';
import { LitheError } from '../errors.ts';
import { Graph } from '../onnx/graph.ts';
import { defaultOpset } from '../onnx/io.ts';
import { DEFAULT_OPSET } from '../onnx/make.ts';
import type { LatencyFactors, Precision, Target } from '../targets/target.ts';
import { kernelsOf, type Kernel, type KernelOptions } from './kernels.ts';

/** Bytes of one element (activation or weight) at each precision. */
export const WIDTH: Record<Precision, number> = { fp32: 4, fp16: 2, int8: 1 };

export interface KernelTime extends Kernel { ms: number; runsAs: Precision; bound: 'compute' | 'memory' }
export interface Prediction { target: string; ms: number; kernels: KernelTime[] }

export interface PredictOptions {
  /** The precision every kernel runs at (a quantize step ahead); otherwise what the graph holds. */
  precision?: Precision;
}

/** The factors of `t`, or an error that says the profile has none. */
export function factorsOf(t: Target): LatencyFactors {
  if (!t.latency) throw new LitheError(`target '${t.name}' has no latency model: its profile (targets/${t.name}.yaml) has no \`latency\` block (\`lithe target calibrate\` writes one for this CPU)`);
  return t.latency;
}

/** The precision a kernel of precision `p` really runs at on `t`, and that precision's peak MACs per second. */
function rate(t: Target, f: LatencyFactors, p: Precision): { runsAs: Precision; macsPerSec: number } {
  const runsAs = f.runs_as?.[p] ?? p;
  const tflops = f.peak_tflops?.[runsAs] ?? t.precisions[runsAs]?.tflops;
  if (!tflops || !f.efficiency[runsAs]) throw new LitheError(`target '${t.name}': its latency model has no peak throughput or efficiency for ${runsAs}${runsAs === p ? '' : ` (what ${p} runs as)`}`);
  return { runsAs, macsPerSec: (tflops * 1e12) / 2 };
}

/** Kinds whose efficiency falls with short dot products where the profile gives a `half_depth` (dense
 *  convs; shallow ones have their own, depthwise ones none). */
export const DEPTH_KINDS: ReadonlySet<string> = new Set(['conv', 'pointwise']);

/** A kind the precision has no efficiency for runs in fp32: lithe's int8 keeps narrow first convs and
 *  depthwise convs float on runtimes that have no fast int8 kernel for them. */
const precisionFor = (k: Kernel, f: LatencyFactors): Precision =>
  k.kind !== 'memory' && !f.efficiency[f.runs_as?.[k.precision] ?? k.precision]?.[k.kind] && f.efficiency.fp32?.[k.kind] ? 'fp32' : k.precision;

/** The share of its kind's efficiency a kernel of reduction length `depth` reaches: half at `half`, rising
 *  to all of it (a GEMM's fixed work per output, loads and stores, spread over more multiply-adds). */
export const depthShare = (depth: number, half: number): number => depth / (depth + half);

export function timeKernel(k: Kernel, t: Target, f: LatencyFactors): KernelTime {
  const own = precisionFor(k, f);
  const { runsAs, macsPerSec } = rate(t, f, own);
  const half = k.kind === 'shallow' ? f.shallow_half_depth?.[runsAs] : DEPTH_KINDS.has(k.kind) ? f.half_depth?.[runsAs] : undefined;
  const eff = k.kind === 'memory' ? 1 : (f.efficiency[runsAs]![k.kind] ?? f.efficiency[runsAs]!.conv ?? 1) * (half ? depthShare(k.depth, half) : 1);
  const elementwise = k.kind === 'memory' ? elementwiseSeconds(k, f) : 0;
  const compute = k.kind === 'memory' ? elementwise : k.macs / (macsPerSec * eff);
  // an int8 kernel that runs in float here (a kind with no int8 efficiency) dequantizes what it reads and
  // quantizes what it writes: its neighbours' Q/DQ are not folded into it
  const converts = own !== k.precision ? k.activations * (WIDTH.int8 + WIDTH.fp32) : 0;
  const bytes = (k.activations + k.weights) * WIDTH[runsAs] + converts;
  const memory = bytes / (t.memory.bandwidth_gbps * 1e9 * f.memory_efficiency);
  // layout changes are kernels of their own beside this one (onnxruntime's ReorderInput, ReorderOutput)
  const reorder = (k.reordered * (f.reorder_ns ?? 0)) / 1e9;
  const fixed = (f.kernel_us + (k.kind === 'memory' ? 0 : f.weighted_kernel_us?.[runsAs] ?? 0)) / 1e6;
  return { ...k, runsAs, bound: compute >= memory ? 'compute' : 'memory', ms: 1000 * (Math.max(compute, memory) + reorder + fixed) };
}

/** The name a kernel's element-wise ops are costed under: the op, or a chain's ops joined (`Mul+Sigmoid`). */
export const elementwiseKey = (k: Kernel): string => Object.keys(k.elementwise).sort().join('+');

/** Seconds of element-wise work: a float chain timed as one kernel (SiLU) at its own rate, else each op at
 *  its own (in int8 onnxruntime runs SiLU as QLinearSigmoid and QLinearMul, two kernels; an int8 op has its
 *  own rate, with the DequantizeLinear and QuantizeLinear around it where it runs in float). */
function elementwiseSeconds(k: Kernel, f: LatencyFactors): number {
  const int8 = k.precision === 'int8';
  const chain = int8 ? undefined : f.elementwise_ns?.[elementwiseKey(k)];
  if (chain !== undefined && Object.keys(k.elementwise).length > 1) return (chain * Math.max(...Object.values(k.elementwise))) / 1e9;
  // an int8 op timed in int8 has its own rate; one that was not (Softplus) runs in float, at the float rate
  const ns = (op: string) => (int8 ? f.int8_elementwise_ns?.[op] : undefined) ?? f.elementwise_ns?.[op] ?? 0;
  return Object.entries(k.elementwise).reduce((a, [op, n]) => a + n * ns(op), 0) / 1e9;
}

/** How the runtime the factors describe groups ops into kernels (its fusions). */
export function kernelOptions(f: LatencyFactors, precision?: Precision): KernelOptions {
  const set = (ops?: string[]) => (ops ? new Set(ops) : undefined);
  return { precision, fusable: set(f.fused_ops), fusableInt8: set(f.int8_fused_ops), int8NeedsQuantizedOutput: f.int8_needs_quantized_output, chained: new Set(f.chained_ops ?? []), channelBlock: f.channel_block };
}

/** The predicted latency of a graph on `t`, kernel by kernel; nothing is run. */
export function predictGraph(g: Graph, opset: number, t: Target, opts: PredictOptions = {}): Prediction {
  const f = factorsOf(t);
  const kernels = kernelsOf(g, opset, kernelOptions(f, opts.precision)).map((k) => timeKernel(k, t, f));
  return { target: t.name, ms: kernels.reduce((a, k) => a + k.ms, 0), kernels };
}

export function predictLatency(model: ModelProto, t: Target, opts: PredictOptions = {}): Prediction {
  return predictGraph(Graph.fromModel(model), defaultOpset(model) ?? DEFAULT_OPSET, t, opts);
}
