// Class-aware non-maximum suppression. Boxes are grouped by class and sorted by score once; each kept box
// suppresses the lower-scored boxes of its class that overlap it more than `iou`. Coordinates sit in typed
// arrays so the inner loop allocates nothing; `maxCandidates` bounds the work as detectors' own NMS does.
import type { Detection } from './types.ts';

export interface NmsOptions { iou?: number; maxDetections?: number; maxCandidates?: number }

export function nms(dets: Detection[], opts: NmsOptions = {}): Detection[] {
  const thr = opts.iou ?? 0.45;
  const candidates = [...dets].sort((a, b) => b.score - a.score).slice(0, opts.maxCandidates ?? 30000);
  const byClass = new Map<number, Detection[]>();
  for (const d of candidates) (byClass.get(d.cls) ?? byClass.set(d.cls, []).get(d.cls)!).push(d);
  const kept: Detection[] = [];
  for (const group of byClass.values()) {
    const n = group.length;
    const x1 = Float64Array.from(group, (d) => d.x1);
    const y1 = Float64Array.from(group, (d) => d.y1);
    const x2 = Float64Array.from(group, (d) => d.x2);
    const y2 = Float64Array.from(group, (d) => d.y2);
    const area = x1.map((_, i) => Math.max(0, x2[i]! - x1[i]!) * Math.max(0, y2[i]! - y1[i]!));
    const gone = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (gone[i]) continue;
      kept.push(group[i]!);
      for (let j = i + 1; j < n; j++) {
        if (gone[j]) continue;
        const w = Math.min(x2[i]!, x2[j]!) - Math.max(x1[i]!, x1[j]!);
        if (w <= 0) continue;
        const h = Math.min(y2[i]!, y2[j]!) - Math.max(y1[i]!, y1[j]!);
        if (h <= 0) continue;
        const inter = w * h;
        if (inter / (area[i]! + area[j]! - inter) > thr) gone[j] = 1;
      }
    }
  }
  kept.sort((a, b) => b.score - a.score);
  return kept.slice(0, opts.maxDetections ?? 300);
}
