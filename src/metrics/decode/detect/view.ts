// What the head detectors read from a graph: its outputs with their shapes, constant tensors (initializers,
// Constant nodes, and what is computed from constants alone, such as a DequantizeLinear of int8 weights), and
// the walk from the outputs back to the output convolutions. A symbolic input size is replaced by a nominal
// one (640, a multiple of every detector stride) for shape inference: strides are ratios of sizes, the same
// at any size.
import type { ModelProto, NodeProto } from 'onnx-buf';
import { Graph } from '../../../onnx/graph.ts';
import { defaultOpset } from '../../../onnx/io.ts';
import { DataType, DEFAULT_OPSET, valueInfo } from '../../../onnx/make.ts';
import { declaredType, inferShapes } from '../../../onnx/shape/infer.ts';
import type { ValueType } from '../../../onnx/shape/types.ts';
import { float32Copy, tensorValues } from '../../../onnx/tensor.ts';
import { Attrs } from '../../../onnx/attrs.ts';

const NOMINAL = 640;
/** Ops whose weights make a layer; the head's output convolutions are the last of these before an output. */
const LAYERS = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);
/** Ops that read only their input's shape: the walk back does not follow them into the data. */
const SHAPE_ONLY = new Set(['Shape', 'Size']);

export interface Constant { dims: number[]; values: ArrayLike<number> }
export interface Output { name: string; shape?: number[] }

/** Input image layout and size (height, width) from the first graph input; `nominal` when it was symbolic. */
function inputGeometry(g: Graph): { name: string; nhwc: boolean; hw: [number, number]; channels: number; nominal: boolean } | undefined {
  const input = g.inputs.find((i) => !g.initializers.has(i.name));
  const shape = input && declaredType(input)?.shape;
  if (!input || shape?.length !== 4) return undefined;
  const channels = (d: unknown) => d === 1 || d === 3 || d === 4;
  const nhwc = channels(shape[3]) && !channels(shape[1]);
  const [h, w] = nhwc ? [shape[1], shape[2]] : [shape[2], shape[3]];
  const fixed = (d: unknown) => (typeof d === 'number' && d > 0 ? d : undefined);
  return { name: input.name, nhwc, hw: [fixed(h) ?? NOMINAL, fixed(w) ?? NOMINAL], channels: fixed(shape[nhwc ? 3 : 1]) ?? 3, nominal: !fixed(h) || !fixed(w) };
}

export class HeadView {
  readonly g: Graph;
  /** The network input, height × width (nominal when the model's is symbolic). */
  readonly input: [number, number];
  readonly nominal: boolean;
  private readonly types: Map<string, ValueType>;
  private readonly constants = new Map<string, boolean>();

  constructor(model: ModelProto) {
    this.g = Graph.fromModel(model);
    const geo = inputGeometry(this.g);
    this.input = geo?.hw ?? [NOMINAL, NOMINAL];
    this.nominal = geo?.nominal ?? true;
    if (geo) {
      const i = this.g.inputs.findIndex((v) => v.name === geo.name);
      const elem = declaredType(this.g.inputs[i]!)?.elem ?? DataType.FLOAT;
      const [h, w] = geo.hw;
      this.g.inputs[i] = valueInfo(geo.name, elem, geo.nhwc ? [1, h, w, geo.channels] : [1, geo.channels, h, w]);
    }
    this.types = inferShapes(this.g, defaultOpset(model) ?? DEFAULT_OPSET).types;
  }

  /** A value's shape when every dimension is known: inferred, or else as the file declares it (an op lithe
   *  has no shape rule for, such as Pow, leaves the inferred one unknown), a symbolic batch read as 1. */
  shape(v: string): number[] | undefined {
    const s = this.types.get(v)?.shape;
    if (s && s.every((d) => typeof d === 'number')) return s as number[];
    const info = this.g.outputs.find((o) => o.name === v) ?? this.g.valueInfo.get(v);
    const d = info && declaredType(info)?.shape?.map((x, i) => (i === 0 && typeof x !== 'number' ? 1 : x));
    return d?.length && d.every((x) => typeof x === 'number') ? (d as number[]) : undefined;
  }

  outputs(): Output[] {
    return this.g.outputs.map((o) => ({ name: o.name, shape: this.shape(o.name) }));
  }

  /** Whether `v` is computed from constants alone (memoised; a DequantizeLinear of int8 weights is). */
  isConstant(v: string): boolean {
    if (this.g.initializers.has(v)) return true;
    const known = this.constants.get(v);
    if (known !== undefined) return known;
    this.constants.set(v, false); // a cycle is no constant
    const p = this.g.producer(v);
    const c = !!p && (p.opType === 'Constant' || (p.input.some(Boolean) && p.input.every((i) => !i || this.isConstant(i))));
    this.constants.set(v, c);
    return c;
  }

  /** A constant's values: an initializer or a Constant node's tensor (float32 or integer types). */
  constant(v: string): Constant | undefined {
    const p = this.g.producer(v);
    const t = this.g.initializers.get(v) ?? (p?.opType === 'Constant' ? new Attrs(p).tensor('value') : undefined);
    if (!t) return undefined;
    const f = float32Copy(t);
    const values = typeof f === 'string' ? tensorValues(t) : f;
    return values ? { dims: t.dims.map(Number), values } : undefined;
  }

  /** A layer: a weighted op with a constant weight, except the fixed integral convolution of Ultralytics'
   *  DFL (weights 0, 1, ..., R-1), which is decoding arithmetic, not a learned layer. */
  isLayer(n: NodeProto): boolean {
    return LAYERS.has(n.opType) && !!n.input[1] && this.isConstant(n.input[1]) && !this.isIntegral(n);
  }

  isIntegral(n: NodeProto): boolean {
    if (n.opType !== 'Conv' || !n.input[1]) return false;
    const w = this.constant(n.input[1]);
    if (!w || w.dims[0] !== 1 || w.dims.length !== 4 || w.dims[2] !== 1 || w.dims[3] !== 1 || w.values.length < 2) return false;
    return Array.from(w.values).every((x, i) => x === i);
  }

  /** From `outputs` back to the first layers on every path: those layers (the output convolutions) and the
   *  nodes between them and the outputs (the decoding tail). Constant inputs and shape reads are not followed. */
  walkBack(outputs: readonly string[]): { convs: NodeProto[]; tail: NodeProto[] } {
    const convs = new Set<NodeProto>();
    const tail = new Set<NodeProto>();
    const stack = [...outputs];
    while (stack.length) {
      const p = this.g.producer(stack.pop()!);
      if (!p || convs.has(p) || tail.has(p)) continue;
      if (this.isLayer(p)) { convs.add(p); continue; }
      tail.add(p);
      if (!SHAPE_ONLY.has(p.opType)) for (const i of p.input) if (i && !this.isConstant(i)) stack.push(i);
    }
    const order = this.g.topologicalOrder();
    return { convs: order.filter((n) => convs.has(n)), tail: order.filter((n) => tail.has(n)) };
  }

  /** Nodes reachable downstream from `values`. */
  downstream(values: readonly string[]): Set<NodeProto> {
    const out = new Set<NodeProto>();
    const stack = [...values];
    while (stack.length) {
      for (const c of this.g.consumers(stack.pop()!)) {
        if (out.has(c)) continue;
        out.add(c);
        stack.push(...c.output.filter(Boolean));
      }
    }
    return out;
  }

  /** The stride of a [N, C, H, W] map: input height over map height, when it divides. */
  stride(v: string): number | undefined {
    const s = this.shape(v);
    if (s?.length !== 4 || !s[2]) return undefined;
    const k = this.input[0] / s[2];
    return Number.isInteger(k) && this.input[1] / s[3]! === k ? k : undefined;
  }
}
