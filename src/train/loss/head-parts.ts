// A YOLO head's map as graph pieces: split per anchor, decoded to boxes, and the names of the fed targets.
// Shared by the YOLO loss and the distillation losses; kept apart from the loss so that the distillation
// registry, which the checker reads, loads no training code (test/cli-start.test.ts).
import { centreScale } from '../../metrics/decode/centre-scale.ts';
import type { Emitter } from '../autodiff/emit.ts';
import type { HeadGeometry } from './yolo-targets.ts';

/** A head's map split per anchor into box centre, size, objectness and class logits, each [B, A, k, H, W]. */
export function headParts(e: Emitter, h: HeadGeometry, map: string, batch: number): { txy: string; twh: string; tobj: string; tcls: string } {
  const dims = [batch, h.mask.length, 5 + h.classes, h.h, h.w];
  const p = e.op1('Reshape', [map, e.ints(dims)]);
  const [txy, twh, tobj, tcls] = e.op('Split', [p, e.ints([2, 2, 1, h.classes])], { axis: 2 }, 4) as [string, string, string, string];
  return { txy, twh, tobj, tcls };
}

/** The boxes a head predicts, centre and size in input pixels, each [B, A, 2, H, W], decoded as the
 *  evaluator decodes them (v3 or v5, darknet's scale_x_y, new_coords on an already activated map). */
export function headBoxes(e: Emitter, h: HeadGeometry, txy: string, twh: string): { xy: string; wh: string } {
  const grid = new Float32Array(2 * h.h * h.w);
  for (let y = 0; y < h.h; y++) for (let x = 0; x < h.w; x++) { grid[y * h.w + x] = x; grid[h.h * h.w + y * h.w + x] = y; }
  const anchors = Float32Array.from(h.mask.flatMap((m) => [h.anchors[2 * m]!, h.anchors[2 * m + 1]!]));
  const g = e.floats(grid, [1, 1, 2, h.h, h.w]);
  const anchor = e.floats(anchors, [1, h.mask.length, 2, 1, 1]);
  const act = (v: string) => (h.newCoords ? v : e.op1('Sigmoid', [v]));
  const cs = centreScale(h);
  const pxy = act(txy);
  const centre = cs === 1 ? pxy : e.op1('Sub', [e.op1('Mul', [pxy, e.scalar(cs)]), e.scalar((cs - 1) / 2)]);
  const xy = e.op1('Mul', [e.op1('Add', [centre, g]), e.scalar(h.stride)]);
  const scale = h.style === 'v5' || h.newCoords
    ? (() => { const t = e.op1('Mul', [act(twh), e.scalar(2)]); return e.op1('Mul', [t, t]); })()
    : e.op1('Exp', [e.op1('Clip', [twh, '', e.scalar(6)])]);
  return { xy, wh: e.op1('Mul', [scale, anchor]) };
}

/** The names of a head's fed targets (`yoloFeeds` makes their values). */
export const targetNames = (h: HeadGeometry) => ({
  box: `target:${h.output}:box`, cls: `target:${h.output}:cls`, pos: `target:${h.output}:pos`, weight: `target:${h.output}:weight`,
});
