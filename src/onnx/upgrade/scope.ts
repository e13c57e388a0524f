// What a rule may ask about the graph its node sits in: constants (initializers and Constant nodes, of this
// graph or an enclosing one: a subgraph sees its parents' values), element types and shapes as far as
// shape inference at the old opset follows them, and whether a value is read anywhere.
import type { GraphProto, TensorProto } from 'onnx-buf';
import { declaredType } from '../shape/infer.ts';
import type { ValueType } from '../shape/types.ts';

export class Scope {
  private readonly constants = new Map<string, TensorProto>();
  private readonly types: Map<string, ValueType>;

  constructor(readonly graph: GraphProto, readonly outer: Scope | undefined, inferred?: ReadonlyMap<string, ValueType>) {
    this.types = new Map(inferred);
    for (const v of [...graph.input, ...graph.output, ...graph.valueInfo]) {
      const t = declaredType(v);
      if (t && !this.types.get(v.name)?.shape) this.types.set(v.name, t);
    }
    for (const t of graph.initializer) {
      this.constants.set(t.name, t);
      this.types.set(t.name, { elem: t.dataType, shape: t.dims.map(Number) });
    }
    for (const n of graph.node) {
      const value = n.opType === 'Constant' && !n.domain ? n.attribute.find((a) => a.name === 'value')?.t : undefined;
      if (value && n.output[0]) {
        this.constants.set(n.output[0], value);
        this.types.set(n.output[0], { elem: value.dataType, shape: value.dims.map(Number) });
      }
      // shape inference has no rule for Cast; its element type is in the node (a Clip on float16 follows one)
      const to = n.opType === 'Cast' && !n.domain ? n.attribute.find((a) => a.name === 'to')?.i : undefined;
      if (to !== undefined && n.output[0] && !this.types.has(n.output[0])) this.types.set(n.output[0], { elem: Number(to) });
    }
  }

  constant(name: string): TensorProto | undefined {
    return this.constants.get(name) ?? this.outer?.constant(name);
  }

  type(name: string): ValueType | undefined {
    return this.types.get(name) ?? this.outer?.type(name);
  }
}

/** Every name a model uses (values, nodes, initializers, graph inputs and outputs, in every subgraph), and
 *  the values something reads (a node input or a graph output). */
export function namesOf(g: GraphProto, names = new Set<string>(), read = new Set<string>()): { names: Set<string>; read: Set<string> } {
  for (const v of [...g.input, ...g.output, ...g.valueInfo]) names.add(v.name);
  for (const o of g.output) read.add(o.name);
  for (const t of g.initializer) names.add(t.name);
  for (const n of g.node) {
    names.add(n.name);
    for (const v of n.output) names.add(v);
    for (const v of n.input) if (v) { names.add(v); read.add(v); }
    for (const a of n.attribute) for (const sub of a.g ? [a.g, ...a.graphs] : a.graphs) namesOf(sub, names, read);
  }
  return { names, read };
}
