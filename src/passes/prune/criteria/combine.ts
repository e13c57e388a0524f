// The scores allocation compares. One criterion whose scores share a scale across layers (bn, entropy,
// taylor, dynamic, random) is used as it is; any other is divided by its group's mean, so that a layer's
// typical channel scores 1 wherever it sits. Several criteria joined with `+` are each divided by their
// group's mean and summed, so each counts the same whatever its units.
import type { PruneGroup } from '../dependency/types.ts';
import { PruneError } from '../dependency/types.ts';
import { criterionById, criterionIds } from './registry.ts';
import type { ScoreContext } from './types.ts';

/** Scores over their mean (all criteria score ≥ 0; all zero stays zero). */
export function byMean(s: Float32Array): Float32Array {
  const mean = s.reduce((a, v) => a + v, 0) / (s.length || 1);
  return mean > 0 && Number.isFinite(mean) ? s.map((v) => v / mean) : new Float32Array(s.length);
}

export async function scoreGroups(ids: readonly string[], groups: readonly PruneGroup[], ctx: ScoreContext): Promise<Map<string, Float32Array>> {
  const criteria = ids.map((id) => {
    const c = criterionById.get(id);
    if (!c) throw new PruneError(`unknown criterion '${id}' (${criterionIds.join(', ')})`);
    return c;
  });
  const out = new Map<string, Float32Array>();
  for (const g of groups) {
    const raw = [];
    for (const c of criteria) raw.push(await c.score(g, ctx));
    if (raw.length === 1 && criteria[0]!.comparable) { out.set(g.id, raw[0]!); continue; }
    out.set(g.id, raw.map(byMean).reduce((a, s) => a.map((v, i) => v + s[i]!)));
  }
  return out;
}
