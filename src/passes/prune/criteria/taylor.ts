// Importance criterion `taylor`: First-order Taylor estimate of the loss change from removing a channel (needs gradients on data).
// score(c) = Σ_batches |Σ_producers (γ_c·∂L/∂γ_c + β_c·∂L/∂β_c)| — the first-order change of the YOLO loss
// when channel c's BN output is zeroed (Molchanov et al. 2019, with the absolute value per batch); for a
// producer without BN, Σ w·∂L/∂w + b·∂L/∂b over its filter. Gradients come from the training engine with BN
// frozen, over the calibration batches (see gradients.ts). In loss units: layers compare.
import type { Criterion } from './types.ts';

export const criterion: Criterion = {
  id: 'taylor',
  summary: "First-order Taylor estimate of the loss change from removing a channel (needs gradients on data).",
  needsData: true,
  needsLabels: true,
  comparable: true,
  score: async (group, ctx) => {
    const all = await ctx.memo('taylor', async () => (await import('./gradients.ts')).taylorScores(ctx));
    return all.get(group.id)!;
  },
};
