// Emits the nodes and constants of a backward graph. Names come from a counter under a prefix no forward
// value uses, so emitting stays linear in the graph's size (no name searches), and equal constants
// (shapes, axes, scalars) are made once.
import type { NodeProto, TensorProto } from 'onnx-buf';
import { attr, node, tensor, type AttrValue } from '../../onnx/make.ts';

/** A float attribute whose value happens to be an integer (Gemm's alpha = 1.0, a LeakyRelu slope of 1). */
export class Float { constructor(readonly v: number) {} }
export const float = (v: number) => new Float(v);
type Attr = AttrValue | Float;

export class Emitter {
  readonly nodes: NodeProto[] = [];
  readonly constants: TensorProto[] = [];
  private count = 0;
  private readonly cache = new Map<string, string>();

  /** The forward node being differentiated: named in what it emits, so profiles point at layers. */
  owner = '';

  constructor(private readonly prefix: string) {}

  name(hint: string): string { return `${this.prefix}${this.count++}/${this.owner ? `${this.owner}/` : ''}${hint}`; }

  op(type: string, inputs: string[], attrs: Record<string, Attr> = {}, outputs = 1): string[] {
    const outs = Array.from({ length: outputs }, () => this.name(type));
    const n = node(type, inputs, outs, {});
    n.attribute = Object.entries(attrs).map(([k, v]) => (v instanceof Float ? attr(k, v.v, true) : attr(k, v)));
    this.nodes.push(n);
    return outs;
  }

  op1(type: string, inputs: string[], attrs: Record<string, Attr> = {}): string { return this.op(type, inputs, attrs)[0]!; }

  private constant(key: string, make: (name: string) => TensorProto): string {
    const hit = this.cache.get(key);
    if (hit) return hit;
    const name = this.name('const');
    this.constants.push(make(name));
    this.cache.set(key, name);
    return name;
  }

  /** A 1-D int64 constant (shapes, axes, starts, pads). */
  ints(values: readonly number[]): string {
    return this.constant(`i${values.join(',')}`, (n) => tensor(n, [values.length], BigInt64Array.from(values, BigInt)));
  }

  /** A float32 scalar. */
  scalar(v: number): string {
    return this.constant(`s${v}`, (n) => tensor(n, [], Float32Array.of(v)));
  }

  /** A float32 constant of any shape (interpolation matrices, kernels); not shared. */
  floats(values: Float32Array, dims: readonly number[]): string {
    const name = this.name('const');
    this.constants.push(tensor(name, dims, values));
    return name;
  }

  /** An int64 constant of any shape (scatter indices). */
  indices(values: BigInt64Array, dims: readonly number[]): string {
    const name = this.name('const');
    this.constants.push(tensor(name, dims, values));
    return name;
  }
}
