// First-order Taylor terms from the YOLO loss: for each calibration batch, one forward and backward pass of
// the training graph (src/train) with BN frozen, and per channel Σ θ·∂L/∂θ over the parameters that make the
// channel. With a BN after the conv, those are γ and β: then γ·∂L/∂γ + β·∂L/∂β = Σ_pixels y·∂L/∂y at the BN
// output y, exactly the first-order loss change of zeroing the channel. Without BN, the conv's filter and
// bias give the same sum at the conv output. BN must be frozen: with batch statistics the output does not
// depend on the scale of the conv weights, and Σ w·∂L/∂w would be 0. This module loads onnxruntime and the
// training engine: the taylor criterion imports it when it scores.
import { TrainingSession } from '../../../train/session.ts';
import { yoloFeeds, yoloHeads, yoloLoss } from '../../../train/loss/yolo-loss.ts';
import type { HeadGeometry } from '../../../train/loss/yolo-targets.ts';
import type { PruneGroup, Producer } from '../dependency/types.ts';
import { PruneError } from '../dependency/types.ts';
import type { ScoreContext } from './types.ts';

/** The parameters whose θ·∂L/∂θ sums make a producer's channel, with their channel axis. */
const terms = (p: Producer): { name: string; axis: number }[] => (p.bn
  ? [{ name: p.bn.gamma, axis: 0 }, { name: p.bn.beta, axis: 0 }]
  : [{ name: p.weight, axis: p.axis }, ...(p.bias ? [{ name: p.bias, axis: 0 }] : [])]);

/** Σ_batches |Σ_producers Σ_params θ·∂L/∂θ| per channel, for every group of the context. */
export async function taylorScores(ctx: ScoreContext): Promise<Map<string, Float32Array>> {
  const batch = ctx.batches[0]?.count;
  if (!batch) throw new PruneError('the taylor criterion needs calibration images with targets, and none were given');
  const wanted = new Set(ctx.groups.flatMap((g) => g.producers.flatMap(terms).map((t) => t.name)));
  const size = Math.round(Math.sqrt(ctx.batches[0]!.input.length / (3 * batch)));
  if (3 * batch * size * size !== ctx.batches[0]!.input.length) throw new PruneError('the taylor criterion trains through the YOLO loss, which needs a square input for now');
  let heads: HeadGeometry[] = [];
  const session = await TrainingSession.create(ctx.model, {
    batch, bn: 'frozen', threads: ctx.threads, frozen: (name) => !wanted.has(name),
    loss: (b) => { heads = yoloHeads(ctx.model, size, b.shape); return yoloLoss(b, heads, size, batch); },
  });
  const scores = new Map(ctx.groups.map((g) => [g.id, new Float32Array(g.channels)]));
  try {
    for (const b of ctx.batches) {
      if (b.count !== batch) continue; // the training graph has a fixed batch: a short last batch is skipped
      await session.step({ [session.graph.feeds[0]!.name]: b.input, ...yoloFeeds(heads, b.targets) });
      for (const g of ctx.groups) accumulate(g, session, scores.get(g.id)!);
    }
  } finally {
    await session.release();
  }
  return scores;
}

function accumulate(group: PruneGroup, session: TrainingSession, into: Float32Array): void {
  const sums = new Float64Array(group.channels);
  for (const { name, axis } of group.producers.flatMap(terms)) {
    const [theta, grad] = [session.values.get(name), session.grads.get(name)];
    const shape = session.graph.params.find((p) => p.name === name)?.shape;
    if (!theta || !grad || !shape) continue; // a one-element weight is a constant to the training graph: no gradient
    const inner = shape.slice(axis + 1).reduce((a, d) => a * d, 1);
    for (let i = 0; i < theta.length; i++) sums[Math.floor(i / inner) % group.channels]! += theta[i]! * grad[i]!;
  }
  sums.forEach((s, c) => { into[c]! += Math.abs(s); });
}
