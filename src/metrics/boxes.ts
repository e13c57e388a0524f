// Box helpers shared by the evaluators.

/** IoU of two [x, y, w, h] boxes; against a crowd region the union is the first box's own area (as COCO). */
export function boxIou(d: readonly number[], g: readonly number[], crowd = false): number {
  const w = Math.min(d[0]! + d[2]!, g[0]! + g[2]!) - Math.max(d[0]!, g[0]!);
  const h = Math.min(d[1]! + d[3]!, g[1]! + g[3]!) - Math.max(d[1]!, g[1]!);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = crowd ? d[2]! * d[3]! : d[2]! * d[3]! + g[2]! * g[3]! - inter;
  return union > 0 ? inter / union : 0;
}

/** Best score first; ties keep their input order (Array.prototype.sort is stable, as numpy's mergesort). */
export const byScore = <T extends { score: number }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => b.score - a.score);
