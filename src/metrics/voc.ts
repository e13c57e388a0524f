// Pascal VOC average precision at IoU 0.5, per class: the 11-point interpolation of VOC2007 and the
// all-point (area under the monotone precision envelope) of VOC2010 and later. Ground truth marked
// `difficult` is neither a hit to find nor a false positive when found.
import { boxIou, byScore } from './boxes.ts';

export interface VocBox { image: string | number; bbox: [number, number, number, number]; difficult?: boolean }
export interface VocDetection { image: string | number; bbox: [number, number, number, number]; score: number }

/** Precision and recall after each detection, best first, at IoU `threshold`. */
export function vocCurve(gts: VocBox[], dets: VocDetection[], threshold = 0.5): { recall: number[]; precision: number[] } {
  const npos = gts.filter((g) => !g.difficult).length;
  const byImage = new Map<string | number, { g: VocBox; used: boolean }[]>();
  for (const g of gts) byImage.set(g.image, [...(byImage.get(g.image) ?? []), { g, used: false }]);
  const sorted = byScore(dets);
  let tp = 0;
  let fp = 0;
  const recall: number[] = [];
  const precision: number[] = [];
  for (const d of sorted) {
    let best = -1;
    let match: { g: VocBox; used: boolean } | undefined;
    for (const c of byImage.get(d.image) ?? []) {
      const o = boxIou(d.bbox, c.g.bbox);
      if (o > best) { best = o; match = c; }
    }
    if (match && best >= threshold) {
      if (match.g.difficult) continue; // neither hit nor miss
      if (!match.used) { match.used = true; tp++; } else fp++;
    } else fp++;
    recall.push(npos ? tp / npos : 0);
    precision.push(tp / (tp + fp));
  }
  return { recall, precision };
}

/** VOC2007's 11-point AP: the mean of the best precision at recall >= 0, 0.1, ..., 1. */
export function vocAp11(recall: number[], precision: number[]): number {
  let ap = 0;
  for (let i = 0; i <= 10; i++) {
    const t = i / 10;
    const p = Math.max(0, ...precision.filter((_, k) => recall[k]! >= t));
    ap += p / 11;
  }
  return ap;
}

/** All-point AP: the area under the precision envelope, summed where recall changes. */
export function vocApAll(recall: number[], precision: number[]): number {
  const r = [0, ...recall, 1];
  const p = [0, ...precision, 0];
  for (let i = p.length - 2; i >= 0; i--) p[i] = Math.max(p[i]!, p[i + 1]!);
  let ap = 0;
  for (let i = 1; i < r.length; i++) if (r[i] !== r[i - 1]) ap += (r[i]! - r[i - 1]!) * p[i]!;
  return ap;
}
