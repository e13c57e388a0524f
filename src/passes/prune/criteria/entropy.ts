// Importance criterion `entropy`: Information entropy of each channel's feature maps over calibration images, normalised so that layers compare.
// score(c) = H(c) / log B (Luo & Wu 2017): the entropy of the histogram (B = 16 bins over their range) of
// channel c's mean value on each calibration image, read after the group's first producer's BN and
// activation. A channel that answers every image alike (dead, saturated, a constant offset) carries no
// information; see image-entropy.ts for why image means and not every value. Computed once for every group in one
// streaming pass per chunk of feature maps.
import type { Criterion } from './types.ts';
import { ImageMeanEntropy } from './image-entropy.ts';

export const criterion: Criterion = {
  id: 'entropy',
  summary: "Information entropy of each channel's feature maps over calibration images, normalised so that layers compare.",
  needsData: true,
  comparable: true,
  score: async (group, ctx) => {
    const all = await ctx.memo('entropy', async () => {
      const { channelStats } = await import('./features.ts');
      const channels = new Map(ctx.groups.map((g) => [g.value, g.channels]));
      return channelStats(ctx, [...channels.keys()], (v) => new ImageMeanEntropy(channels.get(v)!));
    });
    return all.get(group.value)!;
  },
};
