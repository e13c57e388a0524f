// Importance criterion `entropy`: Information entropy of each channel's feature maps over calibration images, normalised so that layers compare.
// score(c) = H(c) / log B: the entropy of the histogram (B = 64 bins over the channel's range) of all of
// channel c's activation values, at every position of every calibration image, read after the group's first
// producer's BN and activation (Luo & Wu 2017 use the histogram of each image's mean instead, which needs far
// more images to fill its bins). A channel that is nearly constant (dead, or always saturated) carries little
// information. Computed once for every group in one streaming pass per chunk of feature maps.
import type { Criterion } from './types.ts';
import { ChannelHistograms } from './histogram.ts';

export const criterion: Criterion = {
  id: 'entropy',
  summary: "Information entropy of each channel's feature maps over calibration images, normalised so that layers compare.",
  needsData: true,
  comparable: true,
  score: async (group, ctx) => {
    const all = await ctx.memo('entropy', async () => {
      const { channelStats } = await import('./features.ts');
      const channels = new Map(ctx.groups.map((g) => [g.value, g.channels]));
      return channelStats(ctx, [...channels.keys()], (v) => new ChannelHistograms(channels.get(v)!));
    });
    return all.get(group.value)!;
  },
};
