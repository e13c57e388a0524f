// int8 post-training quantization of a float model: fold BatchNormalization, plan the Q/DQ placement,
// calibrate activation ranges on the given images (calibrateInt8), then insert Q/DQ with int8 weights
// (encodeInt8). Returns a new model and a report; the input model is never modified. qat (qat.ts) trains
// between the two steps and encodes its own weights and scales on the same plan.
import type { ModelProto } from 'onnx-buf';
import { Graph } from '../../onnx/graph.ts';
import { defaultOpset } from '../../onnx/io.ts';
import { setMetadata, tensor } from '../../onnx/make.ts';
import { inferShapes } from '../../onnx/shape/infer.ts';
import { verify } from '../../onnx/verify.ts';
import { collectHistograms, type CalibrationBatches } from './calibrate/collect.ts';
import { DEFAULT_PERCENTILE } from './calibrate/percentile.ts';
import { methodById } from './calibrate/registry.ts';
import type { CalibrationMethod } from './calibrate/types.ts';
import { int8GemmSaturates } from './cpu.ts';
import { QuantizeError } from './errors.ts';
import { foldBatchNorms, removeIdentities } from '../fuse/fold.ts';
import { poolBeforeActivation, type PoolMove } from '../fuse/pool-first.ts';
import { groupScales, insertQdq, type InsertOptions } from './qdq/insert.ts';
import { narrowInputConvs } from './qdq/narrow.ts';
import { planQdq, type QdqPlan } from './qdq/plan.ts';
import { headFor } from '../../metrics/decode/head.ts';

/**
 * The same quantization (per-tensor symmetric activations, symmetric weights, zero point 0 on the signed
 * grid) encoded for the runtime that will execute it:
 * - `onnxruntime` (the default; lithe measures with it): activations stored as uint8 with zero point 128,
 *   the same 256 levels as int8 with zero point 0, because onnxruntime's x86 QDQ fusions take uint8
 *   activations (its int8→uint8 rewrite needs a QuantizeLinear with a single consumer, so every tensor that
 *   fans out would run its consumers in float: yolov3-tiny at 320 ran 1.44× faster than fp32 with int8
 *   activations, 1.57× with uint8, on one thread of an AVX2 EPYC); weights in 7 bits where this CPU's int8
 *   GEMM saturates (cpu.ts).
 * - `tensorrt`: int8 activations with zero point 0 and 8-bit weights, TensorRT's explicit quantization
 *   (TensorRT 8.2 rejects uint8 Q/DQ); also valid QDQ for onnxruntime, a little slower there.
 */
export type Int8Runtime = 'onnxruntime' | 'tensorrt';

const ENCODINGS: Record<Int8Runtime, () => Omit<InsertOptions, 'weights'>> = {
  onnxruntime: () => ({ activations: 'uint8', reduceRange: int8GemmSaturates(), bias: 'float' }),
  tensorrt: () => ({ activations: 'int8', reduceRange: false, bias: 'float' }),
};

export interface Int8Options extends Partial<InsertOptions> {
  method: 'entropy' | 'minmax' | 'mse' | 'percentile';
  /** Which runtime the encoding is for; `activations`, `reduceRange` and `bias` override its choices. */
  runtime?: Int8Runtime;
  percentile?: number;
  keep?: ReadonlySet<string>;
  threads?: number;
  /** Move each MaxPool before the activation feeding it (fuse/pool-first.ts: same outputs, faster int8);
   *  true unless false. */
  poolFirst?: boolean;
  /** Activation bytes fetched per calibration run (see calibrate/collect.ts). */
  tapBudgetBytes?: number;
}

export interface Int8Report {
  runtime: Int8Runtime;
  method: string;
  percentile?: number;
  weights: 'per-channel' | 'per-tensor';
  activations: 'int8' | 'uint8';
  bias: 'float' | 'int32';
  reduceRange: boolean;
  calibration: { images: number; batches: number };
  /** Calibrated amax per quantized activation, and the scale used after sharing (Concat, MaxPool, ...);
   * `scales` also names the Concat branches (`TENSOR -> CONCAT`). */
  amax: Record<string, number>;
  scales: Record<string, number>;
  /** Node names: run in int8; kept float by `keep`; kept float as the decode tail; other float ops. */
  quantized: string[];
  kept: string[];
  decode: string[];
  float: string[];
  foldedBatchNorms: string[];
}

/** Per-channel weights need DequantizeLinear's `axis` (opset 13); per-tensor ones opset 10. */
function checkModel(model: ModelProto, perChannel: boolean): number {
  const opset = defaultOpset(model) ?? 0;
  if (opset < (perChannel ? 13 : 10)) throw new QuantizeError(`the model's opset ${opset} is too old for ${perChannel ? 'per-channel' : 'per-tensor'} int8 Q/DQ (needs ${perChannel ? 13 : 10}); convert it first`);
  const q = model.graph?.node.find((n) => n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear');
  if (q) throw new QuantizeError(`the model is already quantized (node '${q.name}' is ${q.opType})`);
  return opset;
}

/** A model made ready for int8: BatchNormalization folded (the float model that qat trains), and the
 *  activations the Q/DQ plan quantizes calibrated. */
export interface Int8Calibrated {
  folded: ModelProto;
  opset: number;
  runtime: Int8Runtime;
  method: string;
  percentile?: number;
  insert: Required<Omit<InsertOptions, 'weightScales'>>;
  keep?: ReadonlySet<string>;
  amax: Map<string, number>;
  calibration: { images: number; batches: number };
  foldedBatchNorms: string[];
}

/** What quantization-aware training changed: float weights by name, and the scales it trained with. */
export interface Int8Trained {
  weights: ReadonlyMap<string, Float32Array>;
  /** By quantized tensor and branch id. */
  scales: ReadonlyMap<string, number>;
  weightScales: ReadonlyMap<string, Float32Array>;
}

export async function calibrateInt8(model: ModelProto, calib: CalibrationBatches, opts: Int8Options): Promise<Int8Calibrated> {
  const method = methodById.get(opts.method);
  if (!method) throw new QuantizeError(`unknown calibration method '${opts.method}' (${[...methodById.keys()].join(', ')})`);
  const runtime = opts.runtime ?? 'onnxruntime';
  const encoding = ENCODINGS[runtime]();
  const insert: Int8Calibrated['insert'] = {
    weights: opts.weights ?? 'per-channel', activations: opts.activations ?? encoding.activations!,
    bias: opts.bias ?? encoding.bias!, reduceRange: opts.reduceRange ?? encoding.reduceRange!,
  };
  const opset = checkModel(model, insert.weights === 'per-channel');
  const g = Graph.fromModel(model);
  const foldedBatchNorms = foldBatchNorms(g);
  removeIdentities(g);
  const unmoved = Graph.fromModel(g.toModel(model)).toModel(model); // a copy: the move edits g's nodes
  const moves = opts.poolFirst === false ? [] : poolBeforeActivation(g);
  const folded = g.toModel(model);
  // `keep "layers.000*"` names the BatchNormalization folded into its conv too: what folding removed is gone
  const removed = new Set((model.graph?.node ?? []).map((n) => n.name).filter((n) => !g.node(n)));
  const keep = new Set([...(opts.keep ?? [])].filter((k) => !removed.has(k)));
  if (runtime === 'onnxruntime') for (const n of narrowInputConvs(g)) keep.add(n);
  const c = { folded, opset, runtime, method: method.id, percentile: opts.percentile, insert, keep, foldedBatchNorms };
  const plan = planOf(c, g);
  const { amax, images, batches } = await calibrateUnmoved(unmoved, plan.tensors, moves, calib, method, opts);
  return { ...c, amax, calibration: { images, batches } };
}

/**
 * Calibrates the plan's tensors on the graph as it was before the pool-first move, so that the move changes
 * no scale: a pooled tensor takes the range of the pool's input (it shares that scale anyway), and the moved
 * activation's output the larger range of its old input and output (the old MaxPool shared one scale between
 * them). Calibrated on the moved graph instead, percentile ranges of pooled values (the larger ones) cost
 * 0.25 points of mAP@.5:.95 on the baseline.
 */
async function calibrateUnmoved(unmoved: ModelProto, tensors: readonly string[], moves: readonly PoolMove[], calib: CalibrationBatches, method: CalibrationMethod, opts: Int8Options) {
  const byPooled = new Map(moves.map((m) => [m.pooled, m]));
  const byOut = new Map(moves.map((m) => [m.out, m]));
  const sources = (t: string) => { const [p, o] = [byPooled.get(t), byOut.get(t)]; return p ? [p.input] : o ? [t, o.removed] : [t]; };
  const collected = await collectHistograms(unmoved, [...new Set(tensors.flatMap(sources))], calib, { threads: opts.threads, budgetBytes: opts.tapBudgetBytes });
  const range = (v: string) => method.amax(collected.histograms.get(v)!, { percentile: opts.percentile });
  const amax = new Map(tensors.map((t) => [t, Math.max(...sources(t).map(range))]));
  return { amax, images: collected.images, batches: collected.batches };
}

/** The Q/DQ plan of `g`, a copy of the folded model: planning is deterministic, so every copy gets the same one. */
export function planOf(c: Pick<Int8Calibrated, 'folded' | 'opset' | 'keep'>, g: Graph): QdqPlan {
  return planQdq(g, inferShapes(g, c.opset).types, c.keep, headFor(c.folded)?.convs);
}

/** The Q/DQ model: the calibrated scales (ptq), or what qat trained (its weights and scales). */
export function encodeInt8(c: Int8Calibrated, trained?: Int8Trained): { model: ModelProto; report: Int8Report } {
  const g = Graph.fromModel(c.folded);
  for (const [name, v] of trained?.weights ?? []) g.initializers.set(name, tensor(name, g.initializers.get(name)!.dims.map(Number), v));
  const plan = planOf(c, g);
  const quantizedNames = new Set([...plan.quantized.keys()].map((n) => n.name));
  const scales = trained?.scales ?? groupScales(plan, c.amax);
  insertQdq(g, plan, scales, { ...c.insert, weightScales: trained?.weightScales });
  const problems = verify(g, { opset: c.opset });
  if (problems.length) throw new QuantizeError(`the quantized graph is invalid: ${problems.slice(0, 3).map((p) => p.message).join('; ')}`);
  const out = g.toModel(c.folded);
  const report: Int8Report = {
    runtime: c.runtime, method: c.method, ...(c.method === 'percentile' ? { percentile: c.percentile ?? DEFAULT_PERCENTILE } : {}),
    weights: c.insert.weights, activations: c.insert.activations, bias: c.insert.bias, reduceRange: c.insert.reduceRange,
    calibration: c.calibration,
    amax: Object.fromEntries(c.amax), scales: Object.fromEntries(scales),
    quantized: [...quantizedNames],
    kept: [...plan.keep].map((n) => n.name),
    decode: [...plan.decode].map((n) => n.name),
    float: g.nodes.filter((n) => !quantizedNames.has(n.name) && n.opType !== 'QuantizeLinear' && n.opType !== 'DequantizeLinear').map((n) => n.name),
    foldedBatchNorms: c.foldedBatchNorms,
  };
  setMetadata(out, 'lithe.quantize', JSON.stringify({ precision: 'int8', runtime: c.runtime, method: report.method, weights: report.weights, activations: report.activations, reduceRange: report.reduceRange, images: report.calibration.images, ...(trained && { qat: true }) }));
  return { model: out, report };
}

export async function quantizeInt8(model: ModelProto, calib: CalibrationBatches, opts: Int8Options): Promise<{ model: ModelProto; report: Int8Report }> {
  return encodeInt8(await calibrateInt8(model, calib, opts));
}
/** The report's facts about an int8 model, the same for ptq and qat. */
export function int8Details(r: Int8Report): Record<string, unknown> {
  return {
    runtime: r.runtime, method: r.method, weights: r.weights, activations: r.activations, reduce_range: r.reduceRange,
    calibration_images: r.calibration.images, quantized_nodes: r.quantized.length, float_nodes: r.kept.length + r.decode.length,
  };
}

