// Decoding anchor-based YOLO maps [N, A*(5+C), H, W] (channel a*(5+C)+k for anchor a), as darknet's
// get_yolo_box and YOLOv5 do. With p = sigmoid(t) (or t itself when the map is already activated, darknet's
// new_coords=1 with the logistic in the conv):
//   centre = (s·p − (s − 1)/2 + cell) · stride, s = scaleXY (darknet's scale_x_y; 1 by default, 2 for style v5)
//   size   = exp(t) · anchor (v3), or (2p)² · anchor (style v5, or newCoords)
//   score  = p(objectness) · p(class)
// Anchors, masks, the style and these options come from the model's `lithe.yolo` metadata.
import type { ModelProto } from 'onnx-buf';
import { LitheError } from '../../errors.ts';
import { readHeadMetadata } from './metadata.ts';
import type { Detection, Map4 } from './types.ts';
import { centreScale } from './centre-scale.ts';

export interface YoloHead {
  mask: number[]; anchors: number[]; classes: number; style?: 'v3' | 'v5';
  /** darknet's scale_x_y: centres reach (s − 1)/2 of a cell beyond their own. */
  scaleXY?: number;
  /** darknet's new_coords=1: the map holds activated values (no sigmoid here); sizes are (2p)² · anchor. */
  newCoords?: boolean;
}
/** A head as the `lithe.yolo` metadata records it: with the name of its output map. */
export type YoloOutput = YoloHead & { output: string };

/** More classes than any detection data set has: a bigger count is a corrupt description. */
const MAX_CLASSES = 100_000;

const YOLO_SCHEMA = {
  type: 'array', minItems: 1,
  items: {
    type: 'object', required: ['output', 'mask', 'anchors', 'classes'],
    properties: {
      output: { type: 'string', minLength: 1 },
      mask: { type: 'array', minItems: 1, items: { type: 'integer', minimum: 0 } },
      anchors: { type: 'array', minItems: 2, items: { type: 'number', exclusiveMinimum: 0 } },
      classes: { type: 'integer', minimum: 1, maximum: MAX_CLASSES },
      style: { enum: ['v3', 'v5'] },
      scaleXY: { type: 'number', exclusiveMinimum: 0, maximum: 16 },
      newCoords: { type: 'boolean' },
      stride: { type: 'number', exclusiveMinimum: 0 },
    },
  },
};

/** What the schema cannot say: anchors come in (w, h) pairs, masks index them, all heads share the classes. */
function yoloProblem(heads: YoloOutput[]): string | undefined {
  for (const [i, h] of heads.entries()) {
    if (h.anchors.length % 2) return `head ${i}: anchors must be (width, height) pairs, got ${h.anchors.length} numbers`;
    const bad = h.mask.find((m) => m >= h.anchors.length / 2);
    if (bad !== undefined) return `head ${i}: mask ${bad} is out of range for ${h.anchors.length / 2} anchors`;
    if (h.newCoords && h.style === 'v3') return `head ${i}: newCoords sizes boxes as (2p)² x anchor, style v3 as exp(t) x anchor`;
    if (h.classes !== heads[0]!.classes) return `head ${i} has ${h.classes} classes, head 0 has ${heads[0]!.classes}`;
    if (heads.findIndex((x) => x.output === h.output) !== i) return `heads ${heads.findIndex((x) => x.output === h.output)} and ${i} both read output '${h.output}'`;
  }
  return undefined;
}

/** The model's YOLO heads from its `lithe.yolo` metadata, checked; undefined when it has none. */
export const yoloMetadata = (model: ModelProto): YoloOutput[] | undefined => readHeadMetadata(model, 'lithe.yolo', YOLO_SCHEMA, yoloProblem);

/** The centre scale s of a head: darknet's scale_x_y, 2 for YOLOv5's 2·sigmoid(t) − 0.5, else 1. */
export { centreScale };

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const same = (x: number): number => x;

/** centre offset within the cell, and box side over anchor, from a head's options */
function yoloRule(head: YoloHead): { act: (x: number) => number; centre: (t: number) => number; side: (t: number) => number } {
  const act = head.newCoords ? same : sigmoid;
  const s = centreScale(head);
  const square = head.newCoords || head.style === 'v5';
  return {
    act,
    centre: (t) => act(t) * s - (s - 1) / 2,
    side: square ? (t) => (2 * act(t)) ** 2 : Math.exp,
  };
}

/** The detections of batch item `n` in one map, above `threshold` (objectness x class probability). */
export function decodeYolo(map: Map4, head: YoloHead, input: [number, number], n = 0, threshold = 0.001): Detection[] {
  const [, ch, H, W] = map.dims as [number, number, number, number];
  const A = head.mask.length;
  const per = 5 + head.classes;
  if (ch !== A * per) throw new LitheError(`a YOLO map of ${ch} channels does not hold ${A} anchors x (5 + ${head.classes} classes)`);
  const [inW, inH] = input;
  const sx = inW / W;
  const sy = inH / H;
  const plane = H * W;
  const base = n * ch * plane;
  const { act, centre, side } = yoloRule(head);
  const out: Detection[] = [];
  for (let a = 0; a < A; a++) {
    const aw = head.anchors[2 * head.mask[a]!]!;
    const ah = head.anchors[2 * head.mask[a]! + 1]!;
    const c0 = base + a * per * plane;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const cell = y * W + x;
        const obj = act(map.data[c0 + 4 * plane + cell]!);
        if (obj < threshold) continue;
        const cx = (centre(map.data[c0 + cell]!) + x) * sx;
        const cy = (centre(map.data[c0 + plane + cell]!) + y) * sy;
        const w = side(map.data[c0 + 2 * plane + cell]!) * aw;
        const h = side(map.data[c0 + 3 * plane + cell]!) * ah;
        for (let c = 0; c < head.classes; c++) {
          const score = obj * act(map.data[c0 + (5 + c) * plane + cell]!);
          if (score >= threshold) out.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score, cls: c });
        }
      }
    }
  }
  return out;
}
