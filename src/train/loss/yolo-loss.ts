// The YOLO detection loss as ONNX graph pieces over each head's raw map, with YOLOv5's weighting
// (ultralytics hyp.scratch-low): box (1 - CIoU) averaged over positives, objectness BCE averaged over all
// anchors and cells with per-head balance (4, 1, 0.4 from the finest map), class BCE averaged over positives
// and classes; gains scaled for the number of heads, classes and the input size, and the sum times the batch.
// The objectness target is 1 at positives (YOLOv3's), not YOLOv5's detached IoU: ONNX has no stop-gradient.
import type { ModelProto } from 'onnx-buf';
import type { YoloOutput } from '../../metrics/decode/yolo.ts';
import { headFor } from '../../metrics/decode/head.ts';
import type { LossBuilder } from '../graph.ts';
import { TrainingError } from '../graph.ts';
import type { Target } from '../../data/batches.ts';
import { ciou } from './ciou.ts';
import { yoloTargets, type HeadGeometry } from './yolo-targets.ts';

const BALANCE = [4, 1, 0.4];

/** The raw anchor maps the loss reads: a YOLO head's own outputs, or, where the graph decodes them, the
 *  maps before its decoding with the anchors read from it. Anything else is refused, saying why. */
function rawMaps(model: ModelProto): YoloOutput[] {
  const head = headFor(model);
  if (!head) throw new TrainingError('the model describes no YOLO head (no lithe.yolo metadata, none recognised in the graph): lithe trains YOLO-style detectors');
  if (head.kind === 'yolo' && !head.decoded) return head.maps;
  if (head.kind === 'yolo' && head.raw) return head.raw;
  const why = head.kind === 'yolo' ? 'decodes inside the graph, and no anchor grid was found to read the raw maps before it' : `is ${head.kind}, and lithe's loss is YOLO's (anchor maps)`;
  throw new TrainingError(`lithe cannot fine-tune this model: its head (${head.style}) ${why}`);
}

/** The heads of a model (its YOLO anchor maps), with the grid sizes of its maps. */
export function yoloHeads(model: ModelProto, size: number, shape: (v: string) => number[]): HeadGeometry[] {
  const heads = rawMaps(model);
  return heads.map((h) => {
    const [, , hh, ww] = shape(h.output) as [number, number, number, number];
    return { ...h, h: hh, w: ww, stride: size / hh };
  });
}

/** Adds the loss for `heads` and returns its name; `yoloFeeds` makes its inputs for each batch. */
export function yoloLoss(b: LossBuilder, heads: HeadGeometry[], size: number, batch: number): string {
  const e = b.emit;
  const gains = { box: 0.05 * 3 / heads.length, obj: (size / 640) ** 2 * 3 / heads.length, cls: (0.5 * heads[0]!.classes) / 80 * 3 / heads.length };
  const bce = (x: string, t: string) => e.op1('Sub', [e.op1('Softplus', [x]), e.op1('Mul', [x, t])]);
  const sum = (v: string) => e.op1('ReduceSum', [v], { keepdims: 0 });
  const terms = heads.flatMap((h, i) => {
    const A = h.mask.length;
    const C = h.classes;
    const dims = (k: number) => [batch, A, k, h.h, h.w];
    const p = e.op1('Reshape', [h.output, e.ints(dims(5 + C))]);
    const [txy, twh, tobj, tcls] = e.op('Split', [p, e.ints([2, 2, 1, C])], { axis: 2 }, 4) as [string, string, string, string];
    const box = b.input(`target:${h.output}:box`, dims(4));
    const onehot = b.input(`target:${h.output}:cls`, dims(C));
    const pos = b.input(`target:${h.output}:pos`, dims(1));
    // positives weighted 1/npos (fed), so that sums are means over positives
    const weight = b.input(`target:${h.output}:weight`, dims(1));
    const grid = new Float32Array(2 * h.h * h.w);
    for (let y = 0; y < h.h; y++) for (let x = 0; x < h.w; x++) { grid[y * h.w + x] = x; grid[h.h * h.w + y * h.w + x] = y; }
    const anchors = Float32Array.from(h.mask.flatMap((m) => [h.anchors[2 * m]!, h.anchors[2 * m + 1]!]));
    const g = e.floats(grid, [1, 1, 2, h.h, h.w]);
    const anchor = e.floats(anchors, [1, A, 2, 1, 1]);
    const s = e.op1('Sigmoid', [txy]);
    const centre = h.style === 'v5' ? e.op1('Sub', [e.op1('Mul', [s, e.scalar(2)]), e.scalar(0.5)]) : s;
    const xy = e.op1('Mul', [e.op1('Add', [centre, g]), e.scalar(h.stride)]);
    const scale = h.style === 'v5'
      ? (() => { const t = e.op1('Mul', [e.op1('Sigmoid', [twh]), e.scalar(2)]); return e.op1('Mul', [t, t]); })()
      : e.op1('Exp', [e.op1('Clip', [twh, '', e.scalar(6)])]);
    const wh = e.op1('Mul', [scale, anchor]);
    const [bxy, bwh] = e.op('Split', [box, e.ints([2, 2])], { axis: 2 }, 2) as [string, string];
    const lbox = sum(e.op1('Mul', [weight, e.op1('Sub', [e.scalar(1), ciou(e, xy, wh, bxy, bwh, 2)])]));
    const lobj = e.op1('Mul', [sum(bce(tobj, pos)), e.scalar((BALANCE[i] ?? 0.4) / (batch * A * h.h * h.w))]);
    const lcls = e.op1('Mul', [sum(e.op1('Mul', [weight, bce(tcls, onehot)])), e.scalar(1 / C)]);
    return [e.op1('Mul', [lbox, e.scalar(gains.box)]), e.op1('Mul', [lobj, e.scalar(gains.obj)]), e.op1('Mul', [lcls, e.scalar(gains.cls)])];
  });
  return e.op1('Mul', [e.op1('Sum', terms), e.scalar(batch)]);
}

/** The loss's inputs for one batch. */
export function yoloFeeds(heads: HeadGeometry[], targets: Target[]): Record<string, Float32Array> {
  const feeds: Record<string, Float32Array> = {};
  yoloTargets(heads, targets).forEach((t, i) => {
    const o = heads[i]!.output;
    feeds[`target:${o}:box`] = t.box;
    feeds[`target:${o}:cls`] = t.cls;
    feeds[`target:${o}:pos`] = t.pos;
    feeds[`target:${o}:weight`] = t.pos.map((v) => v / Math.max(t.count, 1));
  });
  return feeds;
}
