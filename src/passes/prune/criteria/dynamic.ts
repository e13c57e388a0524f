// Importance criterion `dynamic`: A weighted sum of BN scale and a channel-independence score, the weights adjusted over pruning iterations.
// score(c) = α·s(c) + (1 − α)·ind(c), where
//   s(c)   = Σ|γ_c| / max_j Σ|γ_j| over the group's BN producers, in [0, 1] (the L1 filter norm, likewise
//            divided by its maximum, for a group without BN);
//   ind(c) = 1 − max_{j≠c} |corr(c, j)|, Pearson correlation of channel c's feature map (after BN and
//            activation, average-pooled to 8x8 cells, over the calibration images) with every other channel
//            of the group; a constant channel scores 0. Without calibration data, the |cosine| between
//            filters stands in for the correlation, so the criterion also runs on weights alone;
//   α      = 0.7 − 0.4·t/(T − 1) at progressive step t of T (0.7 for one-shot pruning).
// Why: right after training, BN scales are the sharper signal (network slimming); each prune-and-finetune
// round redistributes the scales among the surviving channels, while what is left to remove is redundancy,
// channels the others already carry, so the weight moves from scale to independence, linearly, to 0.3.
import type { Criterion, ScoreContext } from './types.ts';
import type { PruneGroup } from '../dependency/types.ts';
import { bnScale, filterRows, l1Norms } from './filters.ts';
import { ChannelCorrelation, filterIndependence } from './correlation.ts';

export function alpha(ctx: Pick<ScoreContext, 'iteration' | 'iterations'>): number {
  return 0.7 - (0.4 * ctx.iteration) / Math.max(1, ctx.iterations - 1);
}

async function independence(group: PruneGroup, ctx: ScoreContext): Promise<Float32Array> {
  if (!ctx.batches.length) return filterIndependence(filterRows(group, ctx));
  const all = await ctx.memo('dynamic:independence', async () => {
    const { channelStats } = await import('./features.ts');
    const channels = new Map(ctx.groups.map((g) => [g.value, g.channels]));
    return channelStats(ctx, [...channels.keys()], (v) => new ChannelCorrelation(channels.get(v)!));
  });
  return all.get(group.value)!;
}

export const criterion: Criterion = {
  id: 'dynamic',
  summary: "A weighted sum of BN scale and a channel-independence score, the weights adjusted over pruning iterations.",
  needsData: false,
  comparable: true,
  score: async (group, ctx) => {
    const scale = bnScale(group, ctx) ?? l1Norms(filterRows(group, ctx));
    const max = Math.max(...scale) || 1;
    const ind = await independence(group, ctx);
    const a = alpha(ctx);
    return scale.map((s, c) => a * (s / max) + (1 - a) * ind[c]!);
  },
};
