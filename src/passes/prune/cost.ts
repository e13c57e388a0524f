// Parameters and MACs of a graph as channels are removed, without rebuilding it: every tensor a group slices
// shrinks along that axis, its parameters with it, and a convolution's MACs are proportional to its weight's
// size (output pixels x weight elements), so they shrink with its weight. Exact for any mix of groups.
import type { Graph } from '../../onnx/graph.ts';
import { modelStats } from '../../onnx/stats.ts';
import type { PruneGroup } from './dependency/types.ts';

export interface Cost { params: number; macs: number }

export class CostModel implements Cost {
  params: number;
  macs: number;
  private readonly dims = new Map<string, number[]>();
  private readonly macsPerElement = new Map<string, number>();

  constructor(g: Graph, opset: number, groups: readonly PruneGroup[]) {
    const stats = modelStats(g, opset);
    this.params = stats.params;
    this.macs = stats.macs;
    for (const s of groups.flatMap((x) => x.slices)) this.dims.set(s.tensor, g.initializers.get(s.tensor)!.dims.map(Number));
    const macs = new Map(stats.nodes.map((n) => [n.name, n.macs]));
    for (const n of g.nodes) {
      const w = n.input[1];
      if ((n.opType === 'Conv' || n.opType === 'ConvTranspose') && w && this.dims.has(w)) {
        this.macsPerElement.set(w, (this.macsPerElement.get(w) ?? 0) + macs.get(n.name)! / size(this.dims.get(w)!));
      }
    }
  }

  /** Channel `channel` of `group` is removed. */
  remove(group: PruneGroup, channel: number): void {
    for (const s of group.slices) {
      if (channel < s.from || channel >= s.from + s.length) continue;
      const d = this.dims.get(s.tensor)!;
      const before = size(d);
      d[s.axis]!--;
      const gone = before - size(d);
      this.params -= gone;
      this.macs -= gone * (this.macsPerElement.get(s.tensor) ?? 0);
    }
  }
}

const size = (d: number[]) => d.reduce((a, x) => a * x, 1);
