// A graph as the kernels a runtime launches: each conv or gemm with the normalisation and activations that
// follow it fused in (conv+BN+activation as one kernel, as TensorRT and onnxruntime run them), the other
// ops one kernel each, and shape bookkeeping, constant arithmetic and Q/DQ folded away. Each kernel has its
// multiply-adds, the elements it reads and writes in memory, and the precision it runs at.
import type { NodeProto } from 'onnx-buf';
import { TensorProto_DataType as DT } from 'onnx-buf';
import type { Graph } from '../onnx/graph.ts';
import { inferShapes } from '../onnx/shape/infer.ts';
import { modelStats } from '../onnx/stats.ts';
import { elementCount } from '../onnx/tensor.ts';
import { constantTensor } from '../onnx/prepare/constants.ts';
import type { Precision } from '../targets/target.ts';
import { Attrs } from '../onnx/attrs.ts';
import { FUSABLE_OPS, isWeighted, kindOf, NCHWC_OPS, type KernelKind } from './kinds.ts';

export interface Kernel {
  /** The first node's name (the conv of a fused kernel). */
  name: string;
  kind: KernelKind;
  nodes: string[];
  /** The multiply-adds the runtime computes (output channels rounded up to its channel block, if any). */
  macs: number;
  /** Length of each output element's dot product (weighted kernels): short ones run below peak on CPUs. */
  depth: number;
  /** Activation elements read from and written to memory, and weight elements read. */
  activations: number;
  /** Elements whose layout the runtime changes around this kernel (onnxruntime's ReorderInput and
   *  ReorderOutput between its NCHWc convs and the ops that read the plain layout). */
  reordered: number;
  /** Per op type of the nodes that are not weighted, the elements they compute (element-wise work). */
  elementwise: Record<string, number>;
  weights: number;
  precision: Precision;
}

/** The float precision of an element type; int8 comes from Q/DQ, not from element types. */
const FLOAT_OF: Partial<Record<number, Precision>> = { [DT.FLOAT16]: 'fp16', [DT.BFLOAT16]: 'fp16' };

interface Builder { kernel: Kernel; produced: Set<string>; reads: Set<string> }

/**
 * The kernels of `g` in topological order. `precision`, when given, is the precision every kernel runs at
 * (a model about to be quantized); otherwise each kernel's comes from the graph: int8 where it reads through
 * DequantizeLinear, fp16 where its output is float16, fp32 otherwise.
 */
export interface KernelOptions {
  /** The precision every kernel runs at (a model about to be quantized); else each kernel's own. */
  precision?: Precision;
  /** Ops the runtime runs inside the kernel of the conv before them; FUSABLE_OPS unless told. */
  fusable?: ReadonlySet<string>;
  /** The same for an int8 conv, where the runtime fuses fewer (onnxruntime: a LeakyRelu after it is a
   *  QLinearLeakyRelu kernel of its own); `fusable` unless told. */
  fusableInt8?: ReadonlySet<string>;
  /** An int8 conv whose output is not quantized again runs in float (onnxruntime: its QDQ fusion needs Q on
   *  both sides); TensorRT has int8-in, float-out kernels. */
  int8NeedsQuantizedOutput?: boolean;
  /** Element-wise ops the runtime runs inside the element-wise kernel before them, when they read only
   *  what that kernel reads or writes (onnxruntime's Sigmoid + Mul, SiLU, as one QuickGelu kernel). */
  chained?: ReadonlySet<string>;
  /** The runtime's channel block (kinds.ts kindOf): a dense conv computes its output channels rounded up to
   *  a multiple of it (a 1x1 to 8 channels costs what one to 16 does), one on fewer input channels is shallow. */
  channelBlock?: number;
}

export function kernelsOf(g: Graph, opset: number, opts: KernelOptions = {}): Kernel[] {
  const { precision, fusable = FUSABLE_OPS, chained = new Set<string>() } = opts;
  const fusableInt8 = opts.fusableInt8 ?? fusable;
  const { types } = inferShapes(g, opset);
  const macs = new Map(modelStats(g, opset).nodes.map((n) => [n.name, n.macs]));
  const tensors = new Map(g.initializers);
  for (const n of g.nodes) { const t = constantTensor(n); if (t) tensors.set(n.output[0]!, t); }
  const stored = new Set(tensors.keys());
  const elems = (v: string) => (types.get(v)?.shape ?? []).reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1);
  const dims = (v: string | undefined) => (v ? tensors.get(v)?.dims.map(Number) ?? types.get(v)?.shape?.map(Number) : undefined);
  const quantized = new Set<string>(); // values read through Q/DQ: int8 in a fused runtime
  const alias = new Map<string, string>(); // a free op's output → the value it passes on
  const owner = new Map<string, Builder>(); // value → the kernel that produced it
  const out: Builder[] = [];
  const resolve = (v: string): string => alias.get(v) ?? v;
  const floatConvs = opts.int8NeedsQuantizedOutput ? (precision ? lastWeighted(g) : unquantizedOutputs(g, fusable)) : new Set<string>();
  for (const n of g.topologicalOrder()) {
    const live = n.input.filter((v) => v && !stored.has(resolve(v)));
    if (!live.length) { for (const o of n.output) stored.add(o); continue; } // constant arithmetic, folded
    const kind = kindOf(n, (v) => dims(v && resolve(v)), opts.channelBlock);
    if (kind === 'free') { passThrough(n, live, alias, quantized, resolve); continue; }
    const into = fusesInto(g, n, live, owner, resolve, fusable, fusableInt8) ?? chainsInto(n, live, owner, resolve, chained);
    const b: Builder = into ?? { kernel: newKernel(n, kind), produced: new Set(), reads: new Set() };
    if (!into) out.push(b);
    b.kernel.nodes.push(n.name);
    b.kernel.macs += (macs.get(n.name) ?? 0) * (isWeighted(n.opType) ? padding(n, dims, opts.channelBlock) : 1);
    if (isWeighted(n.opType)) b.kernel.depth = depthOf(n, dims);
    else b.kernel.elementwise[n.opType] = (b.kernel.elementwise[n.opType] ?? 0) + elems(n.output[0] ?? '');
    for (const v of live) {
      const r = resolve(v);
      if (!b.produced.has(r) && !b.reads.has(r)) { b.kernel.activations += elems(r); b.reads.add(r); }
    }
    const w = isWeighted(n.opType) ? tensors.get(resolve(n.input[weightInput(n)] ?? '')) : undefined;
    if (w) b.kernel.weights += elementCount(w);
    const own = precision ?? precisionOf(n, b.kernel, live, quantized, types);
    b.kernel.precision = own === 'int8' && floatConvs.has(b.kernel.name) ? 'fp32' : own;
    for (const o of n.output) { b.produced.add(o); owner.set(o, b); }
  }
  for (const b of out) for (const v of b.produced) if (usedOutside(g, v, b)) b.kernel.activations += elems(v);
  if (opts.channelBlock) reorders(g, out, owner, elems);
  return out.map((b) => b.kernel);
}

/**
 * The layout changes of onnxruntime's NCHWc transform in float: a conv writes the blocked layout, an op of
 * NCHWC_OPS keeps it where all it reads is in it, any other kernel (and the graph's outputs) reads the plain
 * layout. A value crossing from one to the other is reordered once, charged to the kernel on the blocked side.
 * A shallow conv reads the plain layout itself. int8 kernels (onnxruntime's NHWC QLinear kernels) are left out.
 */
function reorders(g: Graph, out: readonly Builder[], owner: Map<string, Builder>, elems: (v: string) => number): void {
  const float = (b: Builder) => b.kernel.precision !== 'int8';
  const convs = (b: Builder) => b.kernel.kind === 'conv' || b.kernel.kind === 'pointwise' || b.kernel.kind === 'depthwise';
  const blocked = new Map<Builder, boolean>();
  for (const b of out) {
    const inputs = [...b.reads].map((v) => owner.get(v));
    blocked.set(b, float(b) && (convs(b) || (b.kernel.kind === 'memory' && Object.keys(b.kernel.elementwise).every((op) => NCHWC_OPS.has(op))
      && inputs.every((p) => p && blocked.get(p)))));
  }
  const done = new Set<string>();
  const reorder = (v: string, to: Builder) => { if (!done.has(v)) { done.add(v); to.kernel.reordered += elems(v); } };
  for (const b of out) {
    if (!float(b)) continue;
    for (const v of b.reads) {
      const p = owner.get(v);
      if (p && !float(p)) continue;
      const [from, into] = [!!p && blocked.get(p)!, blocked.get(b)!];
      if (from && !into) reorder(v, p!); // ReorderOutput
      else if (!from && into && convs(b)) reorder(v, b); // ReorderInput
    }
    if (blocked.get(b)) for (const v of b.produced) if (g.isGraphOutput(v)) reorder(v, b);
  }
}

/**
 * Where int8 needs Q on both sides of a conv (onnxruntime's QDQ fusion), a conv read through DequantizeLinear
 * whose output is not quantized again (a detection head's output conv: decoding stays float) runs as a float
 * conv: the weighted nodes whose output, or the output of an op fused after them, no QuantizeLinear reads.
 */
function unquantizedOutputs(g: Graph, fusable: ReadonlySet<string>): Set<string> {
  const quantizes = (v: string) => g.consumers(v).some((c) => c.opType === 'QuantizeLinear');
  const out = (n: NodeProto) => n.output[0] ?? '';
  return new Set(g.nodes.filter((n) => isWeighted(n.opType) && !quantizes(out(n)) && !g.consumers(out(n)).some((c) => fusable.has(c.opType) && quantizes(out(c)))).map((n) => n.name));
}

/** The weighted nodes from which no path leads to another weighted node: predicting a float graph as int8,
 *  the output convs lithe's quantizer leaves float. */
function lastWeighted(g: Graph): Set<string> {
  const leads = new Map<string, boolean>(); // value → some weighted node reads it, directly or further on
  const reaches = (v: string): boolean => {
    const known = leads.get(v);
    if (known !== undefined) return known;
    leads.set(v, false); // a cycle cannot occur in a valid graph; this only guards the recursion
    const r = g.consumers(v).some((c) => isWeighted(c.opType) || c.output.some(reaches));
    leads.set(v, r);
    return r;
  };
  return new Set(g.nodes.filter((n) => isWeighted(n.opType) && !n.output.some(reaches)).map((n) => n.name));
}

const newKernel = (n: NodeProto, kind: KernelKind): Kernel => ({ name: n.name, kind, nodes: [], macs: 0, depth: 0, activations: 0, reordered: 0, elementwise: {}, weights: 0, precision: 'fp32' });

/** A free op hands its input on: the output is the same data (a view, or Q/DQ the runtime folds). */
function passThrough(n: NodeProto, live: string[], alias: Map<string, string>, quantized: Set<string>, resolve: (v: string) => string): void {
  const src = resolve(live[0]!);
  const q = n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear' || quantized.has(src);
  for (const o of n.output) { alias.set(o, src); if (q) quantized.add(o); }
  if (q) quantized.add(src);
}

/** The open weighted kernel all of `n`'s live inputs come from, when `n` is an op the runtime fuses there and
 *  every other reader of those inputs is one too (a conv output that SiLU's Mul also reads stays unfused
 *  where Mul does not fuse: the runtime must write it out). */
function fusesInto(g: Graph, n: NodeProto, live: string[], owner: Map<string, Builder>, resolve: (v: string) => string, fusable: ReadonlySet<string>, fusableInt8: ReadonlySet<string>): Builder | undefined {
  const from = new Set(live.map((v) => owner.get(resolve(v))));
  const [b] = from;
  if (from.size !== 1 || !b || b.kernel.kind === 'memory' || isResidual(n, live, b, resolve)) return undefined;
  const ops = b.kernel.precision === 'int8' ? fusableInt8 : fusable;
  if (!ops.has(n.opType)) return undefined;
  return live.every((v) => g.consumers(v).every((c) => ops.has(c.opType))) ? b : undefined;
}

/** The float element-wise kernel `n` joins: `n` is chainable and combines what that one kernel reads with
 *  what it writes (x * Sigmoid(x), SiLU: onnxruntime's QuickGelu; a Sigmoid of a Sigmoid is two kernels). */
function chainsInto(n: NodeProto, live: string[], owner: Map<string, Builder>, resolve: (v: string) => string, chained: ReadonlySet<string>): Builder | undefined {
  if (!chained.has(n.opType)) return undefined;
  const has = (b: Builder, v: string) => b.produced.has(resolve(v)) || b.reads.has(resolve(v));
  // onnxruntime's QuickGelu is a float kernel: int8 SiLU runs as QLinearSigmoid, then QLinearMul
  return live.map((v) => owner.get(resolve(v))).find((b): b is Builder => !!b && b.kernel.kind === 'memory' && b.kernel.precision !== 'int8'
    && Object.keys(b.kernel.elementwise).every((op) => chained.has(op)) && live.every((v) => has(b, v))
    && live.some((v) => b.reads.has(resolve(v))) && live.some((v) => b.produced.has(resolve(v))));
}

/** An Add of two values of one kernel is fusable (x + f(x)); an Add with another kernel's value is not. */
const isResidual = (n: NodeProto, live: string[], b: Builder, resolve: (v: string) => string) =>
  n.opType === 'Add' && live.some((v) => !b.produced.has(resolve(v)));

/** How much more work a dense conv does with its output channels rounded up to the runtime's channel block. */
function padding(n: NodeProto, dims: (v: string | undefined) => number[] | undefined, block?: number): number {
  const cout = dims(n.input[weightInput(n)])?.[0];
  if (!block || !cout || new Attrs(n).int('group', 1) > 1) return 1;
  return (Math.ceil(cout / block) * block) / cout;
}

function depthOf(n: NodeProto, dims: (v: string | undefined) => number[] | undefined): number {
  const w = dims(n.input[weightInput(n)]);
  return w ? w.slice(1).reduce((a, d) => a * d, 1) : 0;
}

const weightInput = (n: NodeProto) => (n.opType === 'QLinearConv' || n.opType === 'QLinearMatMul' ? 3 : 1);

function precisionOf(n: NodeProto, k: Kernel, live: string[], quantized: Set<string>, types: Map<string, { elem: number }>): Precision {
  if (k.precision === 'int8' || live.some((v) => quantized.has(v))) return 'int8';
  return FLOAT_OF[types.get(n.output[0] ?? '')?.elem ?? DT.FLOAT] ?? 'fp32';
}

/** A value another kernel reads (or the graph returns) is written to memory; one used inside stays in registers. */
const usedOutside = (g: Graph, v: string, b: Builder): boolean =>
  g.isGraphOutput(v) || g.consumers(v).some((c) => !b.kernel.nodes.includes(c.name));
