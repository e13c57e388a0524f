// COCO-style box evaluation, following the reference evaluator (pycocotools' COCOeval) step for step so the
// 12 summary numbers agree with it: IoU thresholds 0.50:0.05:0.95, 101 recall points, areas all / small /
// medium / large from the annotations' `area`, maxDets 1 / 10 / 100, crowd regions matched but ignored, ties
// in score kept in input order (a stable sort, as numpy's mergesort), detections beyond 100 per image and
// class dropped, classes without ground truth left out of the means.

/** `ignore` (e.g. VOC's difficult objects) is for other readers of the data set: the evaluator, as the reference, ignores only crowds. */
export interface CocoAnnotation { id: number; image_id: number; category_id: number; bbox: [number, number, number, number]; area: number; iscrowd?: number; ignore?: number }
export interface CocoGt { images: { id: number }[]; annotations: CocoAnnotation[]; categories: { id: number }[] }
export interface CocoDetection { image_id: number; category_id: number; bbox: [number, number, number, number]; score: number }

/** numpy.linspace to the last bit (i * step + start, the last value set to stop): an IoU or a recall exactly at
 * a threshold must fall on the same side as in the reference evaluator. */
function linspace(start: number, stop: number, n: number): number[] {
  const step = (stop - start) / (n - 1);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? stop : i * step + start));
}

export const IOU_THRESHOLDS = linspace(0.5, 0.95, 10);
export const RECALL_POINTS = linspace(0, 1, 101);
export const MAX_DETS = [1, 10, 100] as const;
export const AREAS: readonly [string, number, number][] = [['all', 0, 1e10], ['small', 0, 32 ** 2], ['medium', 32 ** 2, 96 ** 2], ['large', 96 ** 2, 1e10]];

/** The names of the 12 summary numbers, in the reference evaluator's order. */
export const SUMMARY_NAMES = [
  'AP @[.50:.95] all 100', 'AP @.50 all 100', 'AP @.75 all 100', 'AP @[.50:.95] small 100', 'AP @[.50:.95] medium 100', 'AP @[.50:.95] large 100',
  'AR @[.50:.95] all 1', 'AR @[.50:.95] all 10', 'AR @[.50:.95] all 100', 'AR @[.50:.95] small 100', 'AR @[.50:.95] medium 100', 'AR @[.50:.95] large 100',
] as const;

import { boxIou, byScore } from './boxes.ts';

interface Gt { id: number; area: number; bbox: number[]; crowd: boolean }
interface Dt { id: number; area: number; bbox: number[]; score: number }

/** One image and class at one area range: which detections matched which ground truth at each threshold. */
interface ImageEval { dtScores: number[]; dtMatched: boolean[][]; dtIgnore: boolean[][]; gtIgnore: boolean[] }

function evaluateImage(gts: Gt[], dts: Dt[], [lo, hi]: [number, number], maxDet: number): ImageEval | undefined {
  if (!gts.length && !dts.length) return undefined;
  const gIgnore = gts.map((g) => g.crowd || g.area < lo || g.area > hi);
  // ground truth that counts first, then ignored (stable), as the reference sorts by its ignore flag
  const order = gts.map((_, i) => i).sort((a, b) => Number(gIgnore[a]) - Number(gIgnore[b]) || a - b);
  const gt = order.map((i) => gts[i]!);
  const gtIgnore = order.map((i) => gIgnore[i]!);
  const dt = byScore(dts).slice(0, maxDet);
  const ious = dt.map((d) => gt.map((g) => boxIou(d.bbox, g.bbox, g.crowd)));
  const T = IOU_THRESHOLDS.length;
  const gtMatched = Array.from({ length: T }, () => new Array<boolean>(gt.length).fill(false));
  const dtMatched = Array.from({ length: T }, () => new Array<boolean>(dt.length).fill(false));
  const dtIgnore = Array.from({ length: T }, () => new Array<boolean>(dt.length).fill(false));
  IOU_THRESHOLDS.forEach((t, ti) => {
    dt.forEach((_, di) => {
      let best = Math.min(t, 1 - 1e-10);
      let m = -1;
      for (let gi = 0; gi < gt.length; gi++) {
        if (gtMatched[ti]![gi] && !gt[gi]!.crowd) continue; // taken, and only crowds take several
        if (m > -1 && !gtIgnore[m] && gtIgnore[gi]) break; // a real match beats any ignored one
        if (ious[di]![gi]! < best) continue;
        best = ious[di]![gi]!;
        m = gi;
      }
      if (m === -1) return;
      dtIgnore[ti]![di] = gtIgnore[m]!;
      dtMatched[ti]![di] = true;
      gtMatched[ti]![m] = true;
    });
  });
  // unmatched detections outside the area range are ignored, not false positives
  dt.forEach((d, di) => {
    if (d.area < lo || d.area > hi) for (let ti = 0; ti < T; ti++) if (!dtMatched[ti]![di]) dtIgnore[ti]![di] = true;
  });
  return { dtScores: dt.map((d) => d.score), dtMatched, dtIgnore, gtIgnore };
}

export interface CocoResult {
  /** The 12 summary numbers, in the reference evaluator's order (-1 where nothing could be measured). */
  stats: number[];
  /** AP @[.50:.95], all areas, 100 detections, per category id (-1 for a class without ground truth). */
  perClass: Map<number, number>;
}

/**
 * Why no mAP can be computed on `gt`, or undefined when one can: it needs an image and an object to find
 * (not a crowd, its area within the 'all' range). The reference evaluator answers -1 then, which tables
 * would show as a number; lithe says why instead.
 */
export function mapUndefined(gt: CocoGt): string | undefined {
  if (!gt.images.length) return 'no images to evaluate';
  const ids = new Set(gt.images.map((i) => i.id));
  const [, lo, hi] = AREAS[0]!;
  const counted = gt.annotations.some((a) => ids.has(a.image_id) && !a.iscrowd && a.area >= lo && a.area <= hi);
  return counted ? undefined : gt.annotations.length ? 'no annotations that count (crowds and objects on other images do not)' : 'no annotations';
}

export function evaluateCoco(gt: CocoGt, detections: CocoDetection[]): CocoResult {
  const imgIds = [...new Set(gt.images.map((i) => i.id))].sort((a, b) => a - b);
  const catIds = [...new Set(gt.categories.map((c) => c.id))].sort((a, b) => a - b);
  const key = (img: number, cat: number) => `${img}/${cat}`;
  const gts = new Map<string, Gt[]>();
  for (const a of gt.annotations) {
    const list = gts.get(key(a.image_id, a.category_id)) ?? [];
    // only crowds are ignored: an annotation's own `ignore` field counts for nothing, as the reference
    // overwrites it with `iscrowd` (COCOeval._prepare)
    list.push({ id: a.id, area: a.area, bbox: a.bbox, crowd: !!a.iscrowd });
    gts.set(key(a.image_id, a.category_id), list);
  }
  const dts = new Map<string, Dt[]>();
  detections.forEach((d, i) => {
    const list = dts.get(key(d.image_id, d.category_id)) ?? [];
    list.push({ id: i + 1, area: d.bbox[2] * d.bbox[3], bbox: d.bbox, score: d.score });
    dts.set(key(d.image_id, d.category_id), list);
  });
  const maxDet = MAX_DETS[MAX_DETS.length - 1];
  // evals[k][a][i]: category k, area range a, image i
  const evals = catIds.map((c) => AREAS.map(([, lo, hi]) => imgIds.map((img) => evaluateImage(gts.get(key(img, c)) ?? [], dts.get(key(img, c)) ?? [], [lo, hi], maxDet))));
  const T = IOU_THRESHOLDS.length;
  const R = RECALL_POINTS.length;
  // precision[t][r][k][a][m] and recall[t][k][a][m], -1 where undefined
  const precision = new Float64Array(T * R * catIds.length * AREAS.length * MAX_DETS.length).fill(-1);
  const recall = new Float64Array(T * catIds.length * AREAS.length * MAX_DETS.length).fill(-1);
  const pIdx = (t: number, r: number, k: number, a: number, m: number) => (((t * R + r) * catIds.length + k) * AREAS.length + a) * MAX_DETS.length + m;
  const rIdx = (t: number, k: number, a: number, m: number) => ((t * catIds.length + k) * AREAS.length + a) * MAX_DETS.length + m;
  catIds.forEach((_, k) => AREAS.forEach((__, a) => MAX_DETS.forEach((md, m) => {
    const E = evals[k]![a]!.filter((e): e is ImageEval => !!e);
    if (!E.length) return;
    const rows = E.flatMap((e) => e.dtScores.slice(0, md).map((score, j) => ({ score, e, j })));
    const sorted = byScore(rows);
    const npig = E.reduce((n, e) => n + e.gtIgnore.filter((g) => !g).length, 0);
    if (!npig) return;
    for (let t = 0; t < T; t++) {
      let tp = 0;
      let fp = 0;
      const rc: number[] = [];
      const pr: number[] = [];
      for (const { e, j } of sorted) {
        if (e.dtIgnore[t]![j]) continue;
        if (e.dtMatched[t]![j]) tp++; else fp++;
        rc.push(tp / npig);
        pr.push(tp / (tp + fp + Number.EPSILON));
      }
      recall[rIdx(t, k, a, m)] = rc.length ? rc[rc.length - 1]! : 0;
      for (let i = pr.length - 1; i > 0; i--) if (pr[i]! > pr[i - 1]!) pr[i - 1] = pr[i]!;
      // np.searchsorted(rc, recThrs, side='left'); points past the last recall stay 0
      let pi = 0;
      RECALL_POINTS.forEach((r, ri) => {
        while (pi < rc.length && rc[pi]! < r) pi++;
        precision[pIdx(t, ri, k, a, m)] = pi < rc.length ? pr[pi]! : 0;
      });
    }
  })));
  const mean = (xs: number[]): number => { const v = xs.filter((x) => x > -1); return v.length ? v.reduce((s, x) => s + x, 0) / v.length : -1; };
  const ap = (a: number, m: number, ts = IOU_THRESHOLDS.map((_, i) => i), ks = catIds.map((_, i) => i)) =>
    mean(ts.flatMap((t) => RECALL_POINTS.flatMap((_, r) => ks.map((k) => precision[pIdx(t, r, k, a, m)]!))));
  const ar = (a: number, m: number) => mean(IOU_THRESHOLDS.flatMap((_, t) => catIds.map((_, k) => recall[rIdx(t, k, a, m)]!)));
  const M100 = MAX_DETS.length - 1;
  const stats = [
    ap(0, M100), ap(0, M100, [0]), ap(0, M100, [5]), ap(1, M100), ap(2, M100), ap(3, M100),
    ar(0, 0), ar(0, 1), ar(0, M100), ar(1, M100), ar(2, M100), ar(3, M100),
  ];
  const perClass = new Map(catIds.map((c, k) => [c, ap(0, M100, undefined, [k])]));
  return { stats, perClass };
}
