// Decoding anchor-free heads as YOLOv8-style exports give them: one tensor [N, 4 + C, P] of boxes already in
// input pixels (centre x, centre y, width, height) and class scores already through a sigmoid.
import type { Detection, Map4 } from './types.ts';

export function decodeAnchorFree(out: Map4, n = 0, threshold = 0.001): Detection[] {
  const [, rows, P] = out.dims as [number, number, number];
  const classes = rows - 4;
  if (classes < 1) throw new Error(`an anchor-free output needs 4 box rows and at least one class row, found ${rows} rows`);
  const base = n * rows * P;
  const at = (r: number, p: number) => out.data[base + r * P + p]!;
  const dets: Detection[] = [];
  for (let p = 0; p < P; p++) {
    for (let c = 0; c < classes; c++) {
      const score = at(4 + c, p);
      if (score < threshold) continue;
      const [cx, cy, w, h] = [at(0, p), at(1, p), at(2, p), at(3, p)];
      dets.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score, cls: c });
    }
  }
  return dets;
}
