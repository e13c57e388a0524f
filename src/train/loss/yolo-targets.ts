// Target assignment for anchor-based YOLO heads, in TypeScript (it is bookkeeping, not differentiable), fed to
// the loss as dense tensors. An object is assigned, at every head, to each anchor whose shape is within 4× of
// its own (YOLOv5's anchor_t), at its own cell; where centres reach half a cell beyond their own (YOLOv5's
// decoding, darknet's scale_x_y ≥ 2), also at the two nearest neighbouring cells (YOLOv5's build_targets). Where two objects
// claim one anchor of one cell, the later keeps it.
import type { Target } from '../../data/batches.ts';
import { centreScale, type YoloHead } from '../../metrics/decode/yolo.ts';

export interface HeadGeometry extends YoloHead { output: string; h: number; w: number; stride: number }

/** Per head: box targets (cx, cy, w, h in input pixels) [B, A, 4, H, W], one-hot classes [B, A, C, H, W], and
 * the positive mask [B, A, 1, H, W]. Positions without an object hold a unit box so the loss stays finite. */
export interface HeadTargets { box: Float32Array; cls: Float32Array; pos: Float32Array; count: number }

const ANCHOR_RATIO = 4;
const NEIGHBOURS: [number, number][] = [[0, 0], [1, 0], [0, 1], [-1, 0], [0, -1]];

function cells(gx: number, gy: number, h: HeadGeometry): [number, number][] {
  if (centreScale(h) < 2) return [[Math.floor(gx), Math.floor(gy)]];
  const fx = gx % 1;
  const fy = gy % 1;
  // own cell, plus the horizontal and vertical neighbours nearer to the centre (never beyond the map's edge)
  const use = [true, fx < 0.5 && gx > 1, fy < 0.5 && gy > 1, fx > 0.5 && gx < h.w - 1, fy > 0.5 && gy < h.h - 1];
  return NEIGHBOURS.filter((_, k) => use[k]).map(([dx, dy]) => [Math.floor(gx - dx * 0.5), Math.floor(gy - dy * 0.5)]);
}

export function yoloTargets(heads: HeadGeometry[], targets: Target[]): HeadTargets[] {
  const batch = targets.length;
  return heads.map((h) => {
    const A = h.mask.length;
    const C = h.classes;
    const plane = h.h * h.w;
    const box = new Float32Array(batch * A * 4 * plane).fill(1);
    const cls = new Float32Array(batch * A * C * plane);
    const pos = new Float32Array(batch * A * plane);
    targets.forEach((t, b) => {
      for (let i = 0; i < t.classes.length; i++) {
        const [x1, y1, x2, y2] = t.boxes.subarray(4 * i, 4 * i + 4) as unknown as number[];
        const [w, ht] = [x2! - x1!, y2! - y1!];
        const [cx, cy] = [(x1! + x2!) / 2, (y1! + y2!) / 2];
        h.mask.forEach((m, a) => {
          const [aw, ah] = [h.anchors[2 * m]!, h.anchors[2 * m + 1]!];
          if (Math.max(w / aw, aw / w, ht / ah, ah / ht) >= ANCHOR_RATIO) return;
          for (const [x, y] of cells(cx / h.stride, cy / h.stride, h)) {
            if (x < 0 || y < 0 || x >= h.w || y >= h.h) continue;
            const cell = y * h.w + x;
            const ba = b * A + a;
            pos[ba * plane + cell] = 1;
            [cx, cy, w, ht].forEach((v, k) => { box[(ba * 4 + k) * plane + cell] = v; });
            for (let c = 0; c < C; c++) cls[(ba * C + c) * plane + cell] = c === t.classes[i] ? 1 : 0;
          }
        });
      }
    });
    return { box, cls, pos, count: pos.reduce((s, v) => s + v, 0) };
  });
}
