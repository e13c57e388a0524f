// What Upsample (opsets 7 to 9) and Resize-10 mean, in the attributes of Resize-11 and later: coordinates
// mapped back asymmetrically (x / scale), and for nearest the rounding onnxruntime applies to the old ops —
// down where a dimension grows, up where it shrinks (its "simple" mode). Shared by ops/Upsample.ts and
// ops/Resize.ts.
import type { NodeProto } from 'onnx-buf';
import { attrs, drop, set } from './edit.ts';
import { tensor } from '../make.ts';
import { tensorValues } from '../tensor.ts';
import type { UpgradeContext } from './types.ts';

const MODES = ['nearest', 'linear'];

/** Rewrites `n` (Upsample or Resize-10, its scales already its input 1) as Resize at ctx.to; `enlarges`:
 *  every scale is at least 1, as Upsample's must be. */
export function asResize(n: NodeProto, ctx: UpgradeContext, enlarges: boolean): NodeProto[] {
  const mode = attrs(n).string('mode', 'nearest');
  if (!MODES.includes(mode)) ctx.fail(`mode '${mode}' is not one of ${MODES.join(', ')}`);
  n.opType = 'Resize';
  drop(n, 'scales');
  set(n, 'mode', mode);
  if (ctx.to < 11) return [n]; // Resize-10: X and scales, mode only: the old meaning itself
  const [x, scales] = [n.input[0]!, n.input[1]!];
  set(n, 'coordinate_transformation_mode', 'asymmetric');
  if (mode === 'nearest') set(n, 'nearest_mode', enlarges ? 'floor' : rounding(scales, ctx));
  // roi is unused by these modes: an empty name from opset 13, an empty tensor before
  const roi = ctx.to >= 13 ? '' : ctx.add(`${n.name || n.output[0]}_roi`, (name) => tensor(name, [0], new Float32Array(0)));
  n.input = [x, roi, scales];
  return [n];
}

/** floor where every scale enlarges, ceil where every one shrinks. */
function rounding(scales: string, ctx: UpgradeContext): string {
  const t = ctx.constant(scales);
  const v = t && tensorValues(t);
  if (v && v.every((s) => s >= 1)) return 'floor';
  if (v && v.every((s) => s <= 1)) return 'ceil';
  return ctx.fail(v
    ? `its scales [${v.join(', ')}] enlarge some dimensions and shrink others, which no one nearest_mode of opset 11 rounds as Resize-10 did`
    : 'its scales are computed at run time: Resize-10 rounds down where a dimension grows and up where it shrinks, and no one nearest_mode of opset 11 does both');
}
