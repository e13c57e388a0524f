// The state of the dependency analysis while it walks the graph in topological order: each value's channel
// layout (which group owns which channels of axis 1), the groups born at convolutions with a union-find over
// them (a residual Add makes two groups one), the reasons groups cannot be pruned, and the tensor slices,
// consumers and node fixes recorded for each group. Op rules (ops/) read and extend it.
import type { NodeProto, TensorProto } from 'onnx-buf';
import type { Graph } from '../../../onnx/graph.ts';
import type { ValueType } from '../../../onnx/shape/types.ts';
import { tensorValues } from '../../../onnx/tensor.ts';
import { Attrs } from '../../../onnx/attrs.ts';
import type { ChannelSlice, Consumer, NodeFix, Producer, SliceRole } from './types.ts';

/** Channels [from, from + length) of group `group` (a raw id, see Tracer.find); null: channels no group owns
 * (the image, or the output of something that cannot be pruned). */
export interface Segment { group: number | null; from: number; length: number }
export type Layout = Segment[];

type Raw<T> = T & { group: number };

export class Tracer {
  private readonly layouts = new Map<string, Layout>();
  private readonly parent: number[] = [];
  private readonly reasons = new Map<number, string>();
  /** Groups by raw id: the conv that made them and their size (a union only joins groups of equal size). */
  readonly born: { node: string; channels: number }[] = [];
  readonly slices: Raw<ChannelSlice>[] = [];
  readonly fixes: Raw<NodeFix>[] = [];
  readonly consumers: Raw<Consumer>[] = [];
  readonly producers: Raw<Omit<Producer, 'value'>>[] = [];

  constructor(readonly g: Graph, readonly types: Map<string, ValueType>, readonly opset: number) {}

  // ── groups ──
  newGroup(node: string, channels: number): number {
    this.parent.push(this.parent.length);
    this.born.push({ node, channels });
    return this.parent.length - 1;
  }

  find(x: number): number {
    while (this.parent[x] !== x) x = this.parent[x] = this.parent[this.parent[x]!]!;
    return x;
  }

  /** One group from two; the earlier-born root stays, so a group is named after its first producer. */
  union(a: number, b: number): void {
    let [ra, rb] = [this.find(a), this.find(b)];
    if (ra === rb) return;
    if (rb < ra) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    const why = this.reasons.get(ra) ?? this.reasons.get(rb);
    if (why) this.reasons.set(ra, why);
  }

  poison(group: number, reason: string): void {
    const r = this.find(group);
    if (!this.reasons.has(r)) this.reasons.set(r, reason);
  }

  reason(group: number): string | undefined { return this.reasons.get(this.find(group)); }

  /** Every group with channels in `layout` becomes unprunable. */
  poisonLayout(layout: Layout | undefined, reason: string): void {
    for (const s of layout ?? []) if (s.group !== null) this.poison(s.group, reason);
  }

  /** Poisons the layouts of `node`'s inputs other than `data`: an op reads them in a way no rule follows. */
  poisonInputs(node: NodeProto, reason: string, except: readonly number[] = []): void {
    node.input.forEach((v, i) => { if (v && !except.includes(i)) this.poisonLayout(this.layout(v), reason); });
  }

  // ── layouts ──
  layout(value: string): Layout | undefined { return this.layouts.get(value); }
  /** A layout where no group owns a channel is no layout: nothing about the value changes when pruning. */
  set(value: string | undefined, layout: Layout | undefined): void { if (value && layout?.some((s) => s.group !== null)) this.layouts.set(value, layout); }
  entries(): IterableIterator<[string, Layout]> { return this.layouts.entries(); }

  shape(value: string | undefined): ValueType['shape'] { return value ? this.types.get(value)?.shape : undefined; }

  /** The channel count of a value: its layout's, else its inferred shape's axis 1. */
  channels(value: string): number | undefined {
    const l = this.layout(value);
    if (l) return width(l);
    const d = this.shape(value)?.[1];
    return typeof d === 'number' ? d : undefined;
  }

  initializer(value: string | undefined): TensorProto | undefined { return value ? this.g.initializers.get(value) : undefined; }

  /** A constant input's values: an initializer, or a Constant node's tensor. */
  constant(value: string | undefined): number[] | undefined {
    if (!value) return undefined;
    const t = this.initializer(value);
    if (t) return tensorValues(t);
    const p = this.g.producer(value);
    const v = p?.opType === 'Constant' ? new Attrs(p).tensor('value') : undefined;
    return v ? tensorValues(v) : undefined;
  }

  // ── records ──
  addSlices(layout: Layout, tensor: string, axis: number, role: SliceRole, node: string): void {
    walk(layout, (s, at) => this.slices.push({ group: s.group, tensor, axis, at, from: s.from, length: s.length, role, node }));
  }

  addConsumers(layout: Layout, node: string): void {
    walk(layout, (s, at) => this.consumers.push({ group: s.group, node, at, from: s.from, length: s.length }));
  }

  addFixes(layout: Layout, node: string, kind: NodeFix['kind'], entry?: number): void {
    const channels = width(layout);
    walk(layout, (s, at) => this.fixes.push({ group: s.group, node, kind, at, from: s.from, length: s.length, channels, ...(entry === undefined ? {} : { entry }) }));
  }

  /**
   * Channel i of `a` and channel i of `b` must be removed together (a residual Add, SiLU's Mul). Whole groups
   * at the same offsets become one group; anything else (a group against part of another, against channels
   * no group owns) cannot be followed and poisons them.
   */
  unify(a: Layout, b: Layout, node: NodeProto): void {
    const bad = (why: string) => { this.poisonLayout(a, why); this.poisonLayout(b, why); };
    const why = `'${node.name}' (${node.opType}) couples channels that do not line up`;
    if (a.length !== b.length || a.some((s, i) => s.length !== b[i]!.length)) return bad(why);
    a.forEach((sa, i) => {
      const sb = b[i]!;
      if (sa.group === null && sb.group === null) return;
      if (sa.group === null || sb.group === null) return bad(`'${node.name}' (${node.opType}) couples channels with a tensor that cannot be pruned`);
      const [ra, rb] = [this.find(sa.group), this.find(sb.group)];
      if (ra === rb) { if (sa.from !== sb.from) bad(why); return; }
      const whole = (s: Segment, r: number) => s.from === 0 && s.length === this.born[r]!.channels;
      if (whole(sa, ra) && whole(sb, rb)) this.union(ra, rb);
      else bad(why);
    });
  }
}

/** How an op moves channels from its inputs' layouts to its outputs'. */
export type OpRule = (node: NodeProto, t: Tracer) => void;

export const width = (l: Layout): number => l.reduce((a, s) => a + s.length, 0);

/** Calls `f` for each owned segment with its offset in the layout. */
function walk(layout: Layout, f: (s: Segment & { group: number }, at: number) => void): void {
  let at = 0;
  for (const s of layout) {
    if (s.group !== null) f(s as Segment & { group: number }, at);
    at += s.length;
  }
}

/** Channels [start, end) of a layout. */
export function cut(layout: Layout, start: number, end: number): Layout {
  const out: Layout = [];
  let at = 0;
  for (const s of layout) {
    const lo = Math.max(start, at);
    const hi = Math.min(end, at + s.length);
    if (lo < hi) out.push({ group: s.group, from: s.from + lo - at, length: hi - lo });
    at += s.length;
  }
  return out;
}

/** Channels no group owns. */
export const opaque = (channels: number): Layout => [{ group: null, from: 0, length: channels }];
