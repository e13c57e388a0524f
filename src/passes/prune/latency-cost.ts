// Predicted latency as channels go, without rebuilding the graph: the kernels of the target's latency model
// (src/latency/) are found once, and each scales with the groups it reads and writes — a conv's MACs and
// weights with its output group's share times its input groups' share (a depthwise conv with its one group),
// memory-bound kernels with the share of the group they carry. Shares count channels rounded up to the
// target's channel alignment: a GPU that works in multiples of 8 runs 65 channels at the cost of 72.
import type { Graph } from '../../onnx/graph.ts';
import { kernelsOf, type Kernel } from '../../latency/kernels.ts';
import { factorsOf, kernelOptions, timeKernel } from '../../latency/predict.ts';
import { isWeighted } from '../../latency/kinds.ts';
import type { LatencyFactors, Target } from '../../targets/target.ts';
import type { PruneGroup } from './dependency/types.ts';

interface Scaled { kernel: Kernel; out: string[]; in: string[]; ms: number }

export class LatencyCost {
  ms = 0;
  private readonly kept = new Map<string, number>();
  private readonly channels = new Map<string, number>();
  private readonly kernels: Scaled[];
  private readonly byGroup = new Map<string, Scaled[]>();
  private readonly factors: LatencyFactors;

  constructor(g: Graph, opset: number, groups: readonly PruneGroup[], private readonly target: Target) {
    this.factors = factorsOf(target);
    const kernels = kernelsOf(g, opset, kernelOptions(this.factors));
    const outOf = new Map<string, string[]>();
    const inOf = new Map<string, string[]>();
    const add = (m: Map<string, string[]>, node: string, id: string) => m.set(node, [...(m.get(node) ?? []), id]);
    for (const gr of groups) {
      this.channels.set(gr.id, gr.channels);
      this.kept.set(gr.id, gr.channels);
      for (const p of gr.producers) add(outOf, p.node, gr.id);
      for (const c of gr.consumers) add(inOf, c.node, gr.id);
      for (const s of gr.slices) if (s.role === 'depthwise') add(outOf, s.node, gr.id);
      // memory-bound ops that carry the group's channels (pools, resizes, concats, residual adds)
      for (const v of gr.values) for (const n of g.consumers(v)) if (!isWeighted(n.opType)) add(outOf, n.name, gr.id);
    }
    this.kernels = kernels.map((k) => {
      const out = [...new Set(k.nodes.flatMap((n) => outOf.get(n) ?? []))];
      const ins = k.kind === 'memory' ? [] : [...new Set(k.nodes.flatMap((n) => inOf.get(n) ?? []))].filter((id) => !out.includes(id));
      const s: Scaled = { kernel: k, out, in: ins, ms: 0 };
      for (const id of [...out, ...ins]) this.byGroup.set(id, [...(this.byGroup.get(id) ?? []), s]);
      return s;
    });
    for (const s of this.kernels) { s.ms = this.time(s); this.ms += s.ms; }
  }

  /** A group's share of its channels, counted at the target's alignment. */
  private share(id: string, kept = this.kept.get(id)!): number {
    const a = this.target.channel_alignment;
    const all = this.channels.get(id)!;
    return Math.min(1, (Math.ceil(kept / a) * a) / (Math.ceil(all / a) * a));
  }

  private time(s: Scaled, override?: { id: string; kept: number }): number {
    const share = (id: string) => this.share(id, override?.id === id ? override.kept : undefined);
    const mean = (ids: string[]) => (ids.length ? ids.reduce((a, id) => a + share(id), 0) / ids.length : 1);
    const [o, i] = [mean(s.out), mean(s.in)];
    const k = s.kernel;
    return timeKernel({ ...k, macs: k.macs * o * i, weights: k.weights * o * i, activations: k.activations * (o + i) / 2 }, this.target, this.factors).ms;
  }

  /** The predicted latency were `group` to keep `kept` channels, the others as they are. */
  at(group: PruneGroup, kept: number): number {
    return (this.byGroup.get(group.id) ?? []).reduce((ms, s) => ms - s.ms + this.time(s, { id: group.id, kept }), this.ms);
  }

  /** `group` keeps `kept` channels from now on. */
  set(group: PruneGroup, kept: number): void {
    this.kept.set(group.id, kept);
    for (const s of this.byGroup.get(group.id) ?? []) { const t = this.time(s); this.ms += t - s.ms; s.ms = t; }
  }
}
