// Importance criterion `random`: Uniformly random channels: the baseline every other criterion must beat.
// score(c) is uniform in [0, 1), from a generator seeded by the run's seed and the group's id: the same seed
// removes the same channels, whatever else is scored.
import type { Criterion } from './types.ts';
import { mulberry32 } from '../../../util/random.ts';

/** FNV-1a of the id, mixed with the seed. */
function hash(seed: number, id: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export const criterion: Criterion = {
  id: 'random',
  summary: "Uniformly random channels: the baseline every other criterion must beat.",
  needsData: false,
  comparable: true,
  score: async (group, ctx) => {
    const rnd = mulberry32(hash(ctx.seed, group.id));
    return Float32Array.from({ length: group.channels }, () => rnd());
  },
};
