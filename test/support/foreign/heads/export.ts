// Writing models the way PyTorch's ONNX exporter does, for the foreign-head builders: nodes named by module
// path and op (`/model.24/m.0/Conv`), values `<node>_output_0`, learned weights as initializers named after
// their parameter (`model.24.m.0.weight`), small constants (scalars, shapes, grids) as Constant nodes,
// shapes as int64. Weights are seeded (He uniform): untrained, but deterministic.
import type { ModelProto, NodeProto, TensorProto } from 'onnx-buf';
import { DataType, graph, model, node, tensor, valueInfo, type AttrValue } from '../../../../src/onnx/make.ts';
import { heUniform, mulberry32 } from '../../../../src/util/random.ts';

/** PyTorch's node scope of a module path: `model.24.m.0` → `/model.24/m.0` (indices stay with their module). */
export const moduleScope = (path: string): string =>
  `/${path.split('.').reduce<string[]>((out, t) => (/^\d+$/.test(t) && out.length ? [...out.slice(0, -1), `${out.at(-1)}.${t}`] : [...out, t]), []).join('/')}`;

/** `nhwc`: the image input is [N, H, W, 3] and the graph transposes it first, as TensorFlow converters write. */
export interface ExportOptions { size?: number; opset?: number; seed?: number; batch?: number | 'dynamic'; nhwc?: boolean }

export class Exporter {
  readonly nodes: NodeProto[] = [];
  readonly inits: TensorProto[] = [];
  /** The image as the body reads it (NCHW); the graph input is `images`. */
  readonly input: string = 'images';
  readonly nhwc: boolean;
  readonly size: number;
  readonly opset: number;
  readonly batch: number | 'dynamic';
  private readonly used = new Map<string, number>();
  private readonly rnd: () => number;

  constructor(o: ExportOptions = {}) {
    this.size = o.size ?? 64;
    this.opset = o.opset ?? 13;
    this.batch = o.batch ?? 1;
    this.rnd = mulberry32(o.seed ?? 1);
    this.nhwc = o.nhwc ?? false;
    if (this.nhwc) this.input = this.op1('Transpose', ['images'], { perm: [0, 3, 1, 2] }, '/input');
  }

  /** The batch dimension a Reshape's shape constant carries: the batch, or -1 for a dynamic one. */
  get n(): number { return this.batch === 'dynamic' ? -1 : this.batch; }

  /** One node named `${scope}/${op}` (numbered when repeated), its outputs `<name>_output_K`. */
  op(type: string, inputs: string[], attrs: Record<string, AttrValue> = {}, scope = '', outputs = 1): string[] {
    const base = `${scope}/${type}`;
    const k = this.used.get(base) ?? 0;
    this.used.set(base, k + 1);
    const name = k ? `${base}_${k}` : base;
    const outs = Array.from({ length: outputs }, (_, i) => `${name}_output_${i}`);
    this.nodes.push(node(type, inputs, outs, attrs, name));
    return outs;
  }

  op1(type: string, inputs: string[], attrs: Record<string, AttrValue> = {}, scope = ''): string {
    return this.op(type, inputs, attrs, scope)[0]!;
  }

  /** A Constant node holding a float tensor (PyTorch folds grids and scalars into these). */
  constant(values: ArrayLike<number>, dims: number[], scope = ''): string {
    return this.op1('Constant', [], { value: tensor('value', dims, Float32Array.from(values)) }, scope);
  }

  /** A Constant node holding int64 values: shapes, axes, split sizes. */
  ints(values: number[], scope = ''): string {
    return this.op1('Constant', [], { value: tensor('value', [values.length], BigInt64Array.from(values.map(BigInt))) }, scope);
  }

  init(name: string, dims: number[], values: Float32Array): string {
    this.inits.push(tensor(name, dims, values));
    return name;
  }

  /** Conv (with bias) + optional SiLU / ReLU / LeakyReLU, as an exporter writes a fused Conv-BN-act block. */
  conv(x: string, cin: number, cout: number, param: string, o: { k?: number; s?: number; act?: 'silu' | 'relu' | 'leaky' | 'none'; gain?: number; bias?: number } = {}): string {
    const k = o.k ?? 1;
    const s = o.s ?? 1;
    const scope = moduleScope(param);
    const w = heUniform(cout * cin * k * k, cin * k * k, this.rnd).map((v) => v * (o.gain ?? 1));
    const wName = this.init(`${param}.weight`, [cout, cin, k, k], w);
    const bName = this.init(`${param}.bias`, [cout], new Float32Array(cout).map(() => (o.bias ?? 0) + (this.rnd() - 0.5) * 0.2));
    const p = Math.floor(k / 2);
    const y = this.op1('Conv', [x, wName, bName], { kernel_shape: [k, k], strides: [s, s], pads: [p, p, p, p], dilations: [1, 1], group: 1 }, scope);
    switch (o.act ?? 'silu') {
      case 'none': return y;
      case 'relu': return this.op1('Relu', [y], {}, scope);
      case 'leaky': return this.op1('LeakyRelu', [y], { alpha: 0.1 }, scope);
      case 'silu': return this.op1('Mul', [y, this.op1('Sigmoid', [y], {}, scope)], {}, scope);
    }
  }

  /** Nearest ×2 upsampling as PyTorch writes nn.Upsample at opset ≥ 11: Resize with empty roi, scales. */
  upsample(x: string, scope: string): string {
    return this.op1('Resize', [x, this.constant([], [0], scope), this.constant([1, 1, 2, 2], [4], scope)], { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }, scope);
  }

  /** Split along `axis` into `sizes`: sizes as an input from opset 13, as an attribute before. */
  split(x: string, sizes: number[], axis: number, scope: string): string[] {
    return this.opset >= 13
      ? this.op('Split', [x, this.ints(sizes, scope)], { axis }, scope, sizes.length)
      : this.op('Split', [x], { axis, split: sizes }, scope, sizes.length);
  }

  /** Names a value as a graph output is named (`output0`): its producer writes that name instead. */
  output(value: string, name: string): string {
    const n = this.nodes.find((x) => x.output.includes(value))!;
    n.output = n.output.map((o) => (o === value ? name : o));
    return name;
  }

  /** The model; outputs with the shapes the exporter declares (the batch symbolic when dynamic). */
  build(outputs: { name: string; dims: number[] }[], name = 'torch_jit'): ModelProto {
    const b = this.batch === 'dynamic' ? 'batch' : this.batch;
    const g = graph(name, this.nodes, [valueInfo('images', DataType.FLOAT, this.nhwc ? [b, this.size, this.size, 3] : [b, 3, this.size, this.size])],
      outputs.map((o) => valueInfo(o.name, DataType.FLOAT, [b, ...o.dims.slice(1)])), this.inits);
    const m = model(g, { opset: this.opset });
    m.producerName = 'pytorch';
    m.producerVersion = '2.1.0';
    m.metadataProps = [];
    return m;
  }
}

/**
 * A small detector body: a strided conv stack to strides 8, 16 and 32, and a top-down neck (1×1 conv,
 * upsample, concat with the finer map, conv) as YOLO and FPN necks join their scales. Returns the three
 * feature maps (strides 8, 16, 32) and their channels.
 */
export function body(e: Exporter, root = 'model'): { maps: string[]; channels: number[] } {
  const c = (x: string, cin: number, cout: number, i: number, s = 1, k = 3) => e.conv(x, cin, cout, `${root}.${i}.conv`, { k, s });
  const s2 = c(e.input, 3, 8, 0, 2);
  const s4 = c(s2, 8, 16, 1, 2);
  const p3 = c(s4, 16, 16, 2, 2);
  const p4 = c(p3, 16, 24, 3, 2);
  const p5 = c(p4, 24, 32, 4, 2);
  const n5 = c(p5, 32, 16, 5, 1, 1);
  const j4 = e.op1('Concat', [e.upsample(n5, `/${root}.6`), p4], { axis: 1 }, `/${root}.7`);
  const n4 = c(j4, 40, 16, 8);
  const j3 = e.op1('Concat', [e.upsample(n4, `/${root}.9`), p3], { axis: 1 }, `/${root}.10`);
  const n3 = c(j3, 32, 16, 11);
  return { maps: [n3, n4, n5], channels: [16, 16, 16] };
}
