// A mutable view of an ONNX graph for passes: nodes in order, initializers by name, and producer/consumer
// indexes that are rebuilt lazily after edits (a pass does many reads between few edits). Edits keep the
// graph well formed; `verify` says what is not (a pass runs it on its result).
import { clearField, clone, create, isFieldSet } from '@bufbuild/protobuf';
import { ModelProtoSchema, TensorProtoSchema, type GraphProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto } from 'onnx-buf';
import { LitheError } from '../errors.ts';

const EMPTY = new Uint8Array(0);
const RAW_DATA = TensorProtoSchema.field.rawData!;

export class GraphError extends LitheError {
  override name = 'GraphError';
}

export class Graph {
  readonly nodes: NodeProto[];
  readonly initializers: Map<string, TensorProto>;
  readonly inputs: ValueInfoProto[];
  readonly outputs: ValueInfoProto[];
  readonly valueInfo: Map<string, ValueInfoProto>;
  private index?: { producer: Map<string, NodeProto>; consumers: Map<string, NodeProto[]> };

  private constructor(private readonly proto: GraphProto) {
    this.nodes = [...proto.node];
    this.initializers = new Map(proto.initializer.map((t) => [t.name, t]));
    this.inputs = [...proto.input];
    this.outputs = [...proto.output];
    this.valueInfo = new Map(proto.valueInfo.map((v) => [v.name, v]));
  }

  /**
   * A graph over a copy of the model's graph: edits never touch the model it came from. Tensor bytes are
   * shared, not copied (a 62 M-parameter model would otherwise need its weights twice): a pass that changes
   * a tensor assigns it new bytes and never writes into `rawData`.
   */
  static fromModel(model: ModelProto): Graph {
    if (!model.graph) throw new GraphError('the model has no graph');
    const bytes = model.graph.initializer.map((t) => t.rawData);
    // A tensor whose values are in float_data has no raw_data at all; onnxruntime reads an empty one that
    // is present as the tensor's data, so its absence is restored as it was.
    const present = model.graph.initializer.map((t) => isFieldSet(t, RAW_DATA));
    const restore = (t: TensorProto, i: number) => { if (present[i]) t.rawData = bytes[i]!; else clearField(t, RAW_DATA); };
    for (const t of model.graph.initializer) t.rawData = EMPTY;
    let copy: GraphProto;
    try {
      copy = clone(ModelProtoSchema, model).graph!;
    } finally {
      model.graph.initializer.forEach(restore);
    }
    copy.initializer.forEach(restore);
    return new Graph(copy);
  }

  /** A new model: `model`'s header with this graph. */
  toModel(model: ModelProto): ModelProto {
    const graph = { ...this.proto, node: [...this.nodes], initializer: [...this.initializers.values()], input: [...this.inputs], output: [...this.outputs], valueInfo: [...this.valueInfo.values()] };
    return create(ModelProtoSchema, { ...model, graph });
  }

  // ── indexes ──
  private idx() {
    if (this.index) return this.index;
    const producer = new Map<string, NodeProto>();
    const consumers = new Map<string, NodeProto[]>();
    for (const n of this.nodes) {
      for (const o of n.output) if (o) producer.set(o, n);
      for (const i of n.input) if (i) (consumers.get(i) ?? consumers.set(i, []).get(i)!).push(n);
    }
    return (this.index = { producer, consumers });
  }

  /** Call after changing a node's inputs or outputs in place. */
  touched(): void { this.index = undefined; }

  producer(value: string): NodeProto | undefined { return this.idx().producer.get(value); }
  consumers(value: string): readonly NodeProto[] { return this.idx().consumers.get(value) ?? []; }
  isGraphOutput(value: string): boolean { return this.outputs.some((o) => o.name === value); }
  node(name: string): NodeProto | undefined { return this.nodes.find((n) => n.name === name); }

  // ── edits ──
  /** Inserts nodes right after `after` (or at the end); `topologicalOrder` puts them where they belong. */
  insert(nodes: NodeProto[], after?: NodeProto): void {
    const at = after ? this.nodes.indexOf(after) + 1 : this.nodes.length;
    this.nodes.splice(at, 0, ...nodes);
    this.touched();
  }

  remove(node: NodeProto): void {
    const i = this.nodes.indexOf(node);
    if (i < 0) throw new GraphError(`node '${node.name}' is not in the graph`);
    this.nodes.splice(i, 1);
    this.touched();
  }

  /** Every consumer of `from` (and the graph output, if it is one) reads `to` instead. */
  rewire(from: string, to: string): void {
    for (const n of this.consumers(from)) n.input = n.input.map((i) => (i === from ? to : i));
    for (const o of this.outputs) if (o.name === from) o.name = to;
    this.touched();
  }

  /** Renames a value everywhere: its producer, its consumers, initializers, inputs, outputs and value info. */
  rename(from: string, to: string): void {
    if (this.hasValue(to)) throw new GraphError(`cannot rename '${from}' to '${to}': that name is taken`);
    const p = this.producer(from);
    if (p) p.output = p.output.map((o) => (o === from ? to : o));
    const t = this.initializers.get(from);
    if (t) { this.initializers.delete(from); t.name = to; this.initializers.set(to, t); }
    for (const v of this.inputs) if (v.name === from) v.name = to;
    const vi = this.valueInfo.get(from);
    if (vi) { this.valueInfo.delete(from); vi.name = to; this.valueInfo.set(to, vi); }
    this.rewire(from, to);
  }

  /** Removes initializers nothing reads any more (after pruning, fusion, ...). */
  dropUnusedInitializers(): string[] {
    const dropped = [...this.initializers.keys()].filter((k) => !this.consumers(k).length && !this.isGraphOutput(k));
    for (const k of dropped) this.initializers.delete(k);
    return dropped;
  }

  hasValue(name: string): boolean {
    return !!this.producer(name) || this.initializers.has(name) || this.inputs.some((i) => i.name === name);
  }

  /** A name not yet used by any value or node, from `base`. */
  freshName(base: string): string {
    const taken = (s: string) => this.hasValue(s) || this.nodes.some((n) => n.name === s);
    if (!taken(base)) return base;
    let i = 1;
    while (taken(`${base}_${i}`)) i++;
    return `${base}_${i}`;
  }

  // ── order ──
  /** Kahn's algorithm, stable (ties keep the current order); throws on a cycle, naming a node on it. */
  topologicalOrder(): NodeProto[] {
    const pending = new Map<NodeProto, number>();
    const ready: NodeProto[] = [];
    for (const n of this.nodes) {
      const deps = new Set(n.input.filter((i) => i && this.producer(i)).map((i) => this.producer(i)!)).size;
      pending.set(n, deps);
      if (!deps) ready.push(n);
    }
    const order: NodeProto[] = [];
    const position = new Map(this.nodes.map((n, i) => [n, i]));
    while (ready.length) {
      ready.sort((a, b) => position.get(a)! - position.get(b)!);
      const n = ready.shift()!;
      order.push(n);
      const next = new Set(n.output.flatMap((o) => [...this.consumers(o)]));
      for (const c of next) {
        const left = pending.get(c)! - 1;
        pending.set(c, left);
        if (!left) ready.push(c);
      }
    }
    if (order.length < this.nodes.length) {
      const stuck = this.nodes.find((n) => !order.includes(n))!;
      throw new GraphError(`the graph has a cycle through node '${stuck.name}' (${stuck.opType})`);
    }
    return order;
  }

  /** Puts the nodes in topological order (ONNX requires it). */
  sort(): void {
    const order = this.topologicalOrder();
    this.nodes.splice(0, this.nodes.length, ...order);
  }
}
