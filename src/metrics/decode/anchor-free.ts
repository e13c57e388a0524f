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

export interface AnchorFreeMapOptions { stride: number; exp: boolean; sigmoid: boolean }

/**
 * Raw FCOS-style maps [N, 4 + C, H, W]: channels 0..3 the distances left, top, right, bottom from the cell
 * centre in strides (exp applied here when `exp`), the rest class scores (sigmoid applied when `sigmoid`).
 */
export function decodeAnchorFreeMap(map: Map4, o: AnchorFreeMapOptions, n = 0, threshold = 0.001): Detection[] {
  const [, ch, H, W] = map.dims as [number, number, number, number];
  const classes = ch - 4;
  if (classes < 1) throw new Error(`an anchor-free map needs 4 box channels and at least one class channel, found ${ch}`);
  const plane = H * W;
  const base = n * ch * plane;
  const score = o.sigmoid ? (x: number) => 1 / (1 + Math.exp(-x)) : (x: number) => x;
  const dist = o.exp ? (x: number) => Math.exp(Math.min(x, 20)) * o.stride : (x: number) => x * o.stride;
  const dets: Detection[] = [];
  for (let cell = 0; cell < plane; cell++) {
    const cx = ((cell % W) + 0.5) * o.stride;
    const cy = (Math.floor(cell / W) + 0.5) * o.stride;
    let box: number[] | undefined;
    for (let c = 0; c < classes; c++) {
      const s = score(map.data[base + (4 + c) * plane + cell]!);
      if (s < threshold) continue;
      box ??= [0, 1, 2, 3].map((k) => dist(map.data[base + k * plane + cell]!));
      dets.push({ x1: cx - box[0]!, y1: cy - box[1]!, x2: cx + box[2]!, y2: cy + box[3]!, score: s, cls: c });
    }
  }
  return dets;
}
