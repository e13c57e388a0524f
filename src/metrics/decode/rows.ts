// Decoding rows a graph has already decoded (Ultralytics exports): per prediction, centre x, centre y, width,
// height in input pixels, then the objectness (YOLOv5 style) and the class scores, all after their sigmoid.
// Rows lie along the last axis ([N, P, R], YOLOv5) or the middle one ([N, R, P], YOLOv8).
import type { Detection, Map4 } from './types.ts';

export interface RowsLayout { rowsLast: boolean; objectness: boolean }

/** The detections of batch item `n` scoring at least `threshold` (objectness × class score). */
export function decodeRows(out: Map4, layout: RowsLayout, n = 0, threshold = 0.001): Detection[] {
  const [, a, b] = out.dims as [number, number, number];
  const [P, R] = layout.rowsLast ? [a, b] : [b, a];
  const first = layout.objectness ? 5 : 4;
  if (R <= first) throw new Error(`rows of ${R} values hold no class scores after ${first} box${layout.objectness ? ' and objectness' : ''} values`);
  const base = n * P * R;
  const at = layout.rowsLast ? (r: number, p: number) => out.data[base + p * R + r]! : (r: number, p: number) => out.data[base + r * P + p]!;
  const dets: Detection[] = [];
  for (let p = 0; p < P; p++) {
    const obj = layout.objectness ? at(4, p) : 1;
    if (obj < threshold) continue;
    const [cx, cy, w, h] = [at(0, p), at(1, p), at(2, p), at(3, p)];
    for (let c = 0; c < R - first; c++) {
      const score = obj * at(first + c, p);
      if (score >= threshold) dets.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score, cls: c });
    }
  }
  return dets;
}
