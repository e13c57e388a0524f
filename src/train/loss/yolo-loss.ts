// The YOLO detection loss as ONNX graph pieces over each head's raw map, with YOLOv5's weighting
// (ultralytics hyp.scratch-low): box (1 - CIoU) averaged over positives, objectness BCE averaged over all
// anchors and cells with per-head balance (4, 1, 0.4 from the finest map), class BCE averaged over positives
// and classes; gains scaled for the number of heads, classes and the input size, and the sum times the batch.
// The objectness target is 1 at positives (YOLOv3's), not YOLOv5's detached IoU: ONNX has no stop-gradient.
// Boxes decode as the evaluator does (src/metrics/decode/yolo.ts): darknet's scale_x_y widens the centre's
// reach; with new_coords the map is already activated, so the BCE terms take probabilities, not logits.
import type { ModelProto } from 'onnx-buf';
import type { YoloOutput } from '../../metrics/decode/yolo.ts';
import { headFor } from '../../metrics/decode/head.ts';
import type { LossBuilder } from '../graph.ts';
import { TrainingError } from '../graph.ts';
import type { Target } from '../../data/batches.ts';
import { ciou } from './ciou.ts';
import { yoloTargets, type HeadGeometry } from './yolo-targets.ts';
import { headBoxes, headParts, targetNames } from './head-parts.ts';

// the graph pieces the distillation losses share with this loss (they live apart so the checker loads none of this file)
export { headBoxes, headParts, targetNames };

const BALANCE = [4, 1, 0.4];

/** The raw anchor maps the loss reads: a YOLO head's own outputs, or, where the graph decodes them, the
 *  maps before its decoding with the anchors read from it. Anything else is refused, saying why. */
export function rawMaps(model: ModelProto): YoloOutput[] {
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
  const bceLogits = (x: string, t: string) => e.op1('Sub', [e.op1('Softplus', [x]), e.op1('Mul', [x, t])]);
  // −(t·log p + (1 − t)·log(1 − p)), p kept off 0 and 1 so the logs stay finite
  const bceProbs = (x: string, t: string) => {
    const p = e.op1('Clip', [x, e.scalar(1e-7), e.scalar(1 - 1e-7)]);
    const pos = e.op1('Mul', [t, e.op1('Log', [p])]);
    const neg = e.op1('Mul', [e.op1('Sub', [e.scalar(1), t]), e.op1('Log', [e.op1('Sub', [e.scalar(1), p])])]);
    return e.op1('Neg', [e.op1('Add', [pos, neg])]);
  };
  const sum = (v: string) => e.op1('ReduceSum', [v], { keepdims: 0 });
  const terms = heads.flatMap((h, i) => {
    const A = h.mask.length;
    const C = h.classes;
    const bce = h.newCoords ? bceProbs : bceLogits;
    const dims = (k: number) => [batch, A, k, h.h, h.w];
    const { txy, twh, tobj, tcls } = headParts(e, h, h.output, batch);
    const names = targetNames(h);
    const box = b.input(names.box, dims(4));
    const onehot = b.input(names.cls, dims(C));
    const pos = b.input(names.pos, dims(1));
    // positives weighted 1/npos (fed), so that sums are means over positives
    const weight = b.input(names.weight, dims(1));
    const { xy, wh } = headBoxes(e, h, txy, twh);
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
    const names = targetNames(heads[i]!);
    feeds[names.box] = t.box;
    feeds[names.cls] = t.cls;
    feeds[names.pos] = t.pos;
    feeds[names.weight] = t.pos.map((v) => v / Math.max(t.count, 1));
  });
  return feeds;
}
