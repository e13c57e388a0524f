// Adds a block's nodes and weights to a graph under one name prefix (`layers.004` → `layers.004.dw.conv`,
// ...), as the zoo's builder names them, so the stdlib scopes that matched the old layer match the new one.
import type { NodeProto } from 'onnx-buf';
import type { Graph } from '../../onnx/graph.ts';
import { attr, node, tensor, type AttrValue } from '../../onnx/make.ts';

/** Attributes that are floats even when their value is whole (`alpha 1`, `epsilon 0`). */
const FLOAT_ATTRS = new Set(['alpha', 'beta', 'epsilon']);

export class Emitter {
  readonly nodes: NodeProto[] = [];
  constructor(readonly g: Graph, readonly prefix: string) {}

  private fresh(base: string): string {
    return this.g.freshName(`${this.prefix}.${base}`);
  }

  /** A float32 initializer; returns its name. */
  init(base: string, dims: number[], values: ArrayLike<number>): string {
    const name = this.fresh(base);
    this.g.initializers.set(name, tensor(name, dims, Float32Array.from(values)));
    return name;
  }

  /** One node, added to the graph at once (so later names see it taken); returns its output. */
  op(opType: string, inputs: string[], base: string, attrs: Record<string, AttrValue> = {}): string {
    const out = this.fresh(base);
    const n = node(opType, inputs, [out], {}, out);
    n.attribute = Object.entries(attrs).map(([k, v]) => attr(k, v, FLOAT_ATTRS.has(k)));
    this.nodes.push(n);
    this.g.insert([n]);
    return out;
  }

  /** BatchNormalization with the given statistics (`beta` alone: an identity that adds `beta`). */
  bn(x: string, base: string, c: number, p: { gamma?: Float32Array; beta?: Float32Array; mean?: Float32Array; var?: Float32Array; eps?: number } = {}): string {
    const eps = p.eps ?? 1e-5;
    const fill = (v: number) => new Float32Array(c).fill(v);
    const ins = [p.gamma ?? fill(1), p.beta ?? fill(0), p.mean ?? fill(0), p.var ?? fill(1 - eps)];
    const names = ['gamma', 'beta', 'mean', 'var'].map((k, i) => this.init(`${base}.${k}`, [c], ins[i]!));
    return this.op('BatchNormalization', [x, ...names], `${base}.bn`, { epsilon: eps });
  }
}
