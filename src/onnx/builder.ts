// A small API for building conv nets as ONNX, for the zoo and for tests: convolutions with BN and an
// activation, depthwise and squeeze-excitation blocks, pools, upsampling, concat and add. Weights are a
// seeded He initialisation (an untrained architecture). Node names are `PREFIX.conv`, `PREFIX.bn`,
// `PREFIX.act`, ..., so stdlib profiles can select layers by glob.
import type { ModelProto, NodeProto, TensorProto } from 'onnx-buf';
import { DataType, graph, model, node, tensor, valueInfo } from './make.ts';
import { heUniform, mulberry32 } from '../util/random.ts';

/** hardswish is x * HardSigmoid(x) with alpha 1/6, beta 0.5: the same function, in opset-13 ops. */
export type Act = 'linear' | 'relu' | 'relu6' | 'leaky' | 'silu' | 'hardswish' | 'sigmoid';

export interface ConvOpts { out: number; k?: number; s?: number; p?: number; groups?: number; bn?: boolean; act?: Act; bias?: boolean }

export class NetBuilder {
  readonly input = 'images';
  private readonly nodes: NodeProto[] = [];
  private readonly inits: TensorProto[] = [];
  private readonly channels = new Map<string, number>();
  /** Values shaped [N, rows, C] rather than NCHW. */
  private readonly rowOutputs = new Set<string>();
  private readonly rnd: () => number;

  constructor(readonly name: string, readonly size: number, seed = 1, inChannels = 3) {
    this.rnd = mulberry32(seed);
    this.channels.set(this.input, inChannels);
  }

  ch(x: string): number {
    const c = this.channels.get(x);
    if (c === undefined) throw new Error(`builder: no value '${x}'`);
    return c;
  }

  private weight(name: string, dims: number[], fanIn: number): string {
    this.inits.push(tensor(name, dims, heUniform(dims.reduce((a, b) => a * b, 1), fanIn, this.rnd)));
    return name;
  }

  private constant(name: string, dims: number[], values: ArrayLike<number>): string {
    this.inits.push(tensor(name, dims, Float32Array.from(values)));
    return name;
  }

  private put(out: string, channels: number): string {
    this.channels.set(out, channels);
    return out;
  }

  conv(x: string, name: string, o: ConvOpts): string {
    const { out, k = 1, s = 1, groups = 1, bn = true, act = 'silu' } = o;
    const p = o.p ?? Math.floor(k / 2);
    const cin = this.ch(x);
    const w = this.weight(`${name}.weight`, [out, cin / groups, k, k], (cin / groups) * k * k);
    const inputs = [x, w];
    if (o.bias ?? !bn) inputs.push(this.constant(`${name}.bias`, [out], new Float32Array(out)));
    const attrs = { kernel_shape: [k, k], strides: [s, s], pads: [p, p, p, p], group: groups };
    let y = `${name}.conv`;
    this.nodes.push(node('Conv', inputs, [y], attrs, `${name}.conv`));
    if (bn) {
      const c = (n: string, v: number) => this.constant(`${name}.${n}`, [out], new Float32Array(out).fill(v));
      this.nodes.push(node('BatchNormalization', [y, c('gamma', 1), c('beta', 0), c('mean', 0), c('var', 1)], [`${name}.bn`], { epsilon: 1e-3 }, `${name}.bn`));
      y = `${name}.bn`;
    }
    return this.put(this.activate(y, name, act), out);
  }

  private activate(x: string, name: string, act: Act): string {
    const y = `${name}.out`;
    switch (act) {
      case 'linear': return x;
      case 'relu': this.nodes.push(node('Relu', [x], [y], {}, `${name}.act`)); break;
      case 'relu6': {
        const lo = this.constant(`${name}.min`, [], [0]);
        const hi = this.constant(`${name}.max`, [], [6]);
        this.nodes.push(node('Clip', [x, lo, hi], [y], {}, `${name}.act`));
        break;
      }
      case 'leaky': this.nodes.push(node('LeakyRelu', [x], [y], { alpha: 0.1 }, `${name}.act`)); break;
      case 'sigmoid': this.nodes.push(node('Sigmoid', [x], [y], {}, `${name}.act`)); break;
      case 'silu':
        this.nodes.push(node('Sigmoid', [x], [`${name}.sig`], {}, `${name}.sig`), node('Mul', [x, `${name}.sig`], [y], {}, `${name}.act`));
        break;
      case 'hardswish':
        this.nodes.push(node('HardSigmoid', [x], [`${name}.hsig`], { alpha: 1 / 6, beta: 0.5 }, `${name}.hsig`), node('Mul', [x, `${name}.hsig`], [y], {}, `${name}.act`));
        break;
    }
    return y;
  }

  /** Depthwise k x k (one filter per channel). */
  dw(x: string, name: string, o: { k?: number; s?: number; act?: Act }): string {
    return this.conv(x, name, { out: this.ch(x), groups: this.ch(x), k: o.k ?? 3, s: o.s ?? 1, act: o.act ?? 'relu' });
  }

  /** Squeeze-excitation: global pool, reduce to ratio x channels, expand, sigmoid, scale. */
  se(x: string, name: string, ratio: number, act: Act = 'relu'): string {
    const c = this.ch(x);
    this.nodes.push(node('GlobalAveragePool', [x], [`${name}.pool`], {}, `${name}.pool`));
    this.put(`${name}.pool`, c);
    const r = this.conv(`${name}.pool`, `${name}.reduce`, { out: Math.max(1, Math.round(c * ratio)), bn: false, act });
    const e = this.conv(r, `${name}.expand`, { out: c, bn: false, act: 'sigmoid' });
    return this.mul(x, e, `${name}.scale`);
  }

  /** Depthwise-separable: depthwise k x k, then pointwise 1x1 to `out`, each with BN and the activation. */
  dsconv(x: string, name: string, o: { out: number; k?: number; s?: number; act?: Act }): string {
    const d = this.dw(x, `${name}.dw`, { k: o.k ?? 3, s: o.s ?? 1, act: o.act ?? 'relu' });
    return this.conv(d, `${name}.pw`, { out: o.out, k: 1, act: o.act ?? 'relu' });
  }

  /** Inverted residual (MBConv): 1x1 expansion (when expand > 1), depthwise k x k, optional squeeze-
   * excitation, 1x1 linear projection, and the input added back when shapes allow. */
  mbconv(x: string, name: string, o: { out: number; expand?: number; k?: number; s?: number; se?: number; act?: Act }): string {
    const cin = this.ch(x);
    const t = o.expand ?? 1;
    const act = o.act ?? 'relu';
    let y = t > 1 ? this.conv(x, `${name}.expand`, { out: cin * t, k: 1, act }) : x;
    y = this.dw(y, `${name}.dw`, { k: o.k ?? 3, s: o.s ?? 1, act });
    if (o.se) y = this.se(y, `${name}.se`, o.se);
    y = this.conv(y, `${name}.project`, { out: o.out, k: 1, act: 'linear' });
    return (o.s ?? 1) === 1 && o.out === cin ? this.add(x, y, name) : y;
  }

  maxpool(x: string, name: string, k: number, s: number, pads?: number[]): string {
    const p = Math.floor(k / 2);
    this.nodes.push(node('MaxPool', [x], [`${name}.out`], { kernel_shape: [k, k], strides: [s, s], pads: pads ?? [p, p, p, p] }, `${name}.pool`));
    return this.put(`${name}.out`, this.ch(x));
  }

  upsample(x: string, name: string, scale = 2): string {
    const roi = this.constant(`${name}.roi`, [0], []);
    const sc = this.constant(`${name}.scales`, [4], [1, 1, scale, scale]);
    this.nodes.push(node('Resize', [x, roi, sc], [`${name}.out`], { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }, `${name}.upsample`));
    return this.put(`${name}.out`, this.ch(x));
  }

  concat(xs: string[], name: string): string {
    this.nodes.push(node('Concat', xs, [`${name}.out`], { axis: 1 }, `${name}.concat`));
    return this.put(`${name}.out`, xs.reduce((a, x) => a + this.ch(x), 0));
  }

  add(a: string, b: string, name: string): string {
    this.nodes.push(node('Add', [a, b], [`${name}.out`], {}, `${name}.add`));
    return this.put(`${name}.out`, this.ch(a));
  }

  mul(a: string, b: string, name: string): string {
    this.nodes.push(node('Mul', [a, b], [`${name}.out`], {}, `${name}.mul`));
    return this.put(`${name}.out`, this.ch(a));
  }

  /** NCHW → [N, H*W*C/last, last]: a prediction map as rows of `last` values (one row per anchor and cell). */
  rows(x: string, name: string, last: number): string {
    this.nodes.push(node('Transpose', [x], [`${name}.nhwc`], { perm: [0, 2, 3, 1] }, `${name}.transpose`));
    const shape = `${name}.shape`;
    this.inits.push(tensor(shape, [3], BigInt64Array.from([0n, -1n, BigInt(last)])));
    this.nodes.push(node('Reshape', [`${name}.nhwc`, shape], [`${name}.out`], {}, `${name}.reshape`));
    return this.put(`${name}.out`, last);
  }

  /** Rows of several maps, one after the other (Concat along axis 1). */
  concatRows(xs: string[], name: string): string {
    this.nodes.push(node('Concat', xs, [name], { axis: 1 }, `${name}.concat`));
    this.rowOutputs.add(name);
    return this.put(name, this.ch(xs[0]!));
  }

  /** The model, with `outputs` as its graph outputs (spatial sizes left to shape inference). */
  build(outputs: string[], metadata: Record<string, string> = {}): ModelProto {
    const g = graph(this.name, this.nodes, [valueInfo(this.input, DataType.FLOAT, ['N', this.ch(this.input), this.size, this.size])],
      outputs.map((o) => valueInfo(o, DataType.FLOAT, this.rowOutputs.has(o) ? ['N', '?', this.ch(o)] : ['N', this.ch(o), '?', '?'])), this.inits);
    return model(g, { metadata });
  }
}
