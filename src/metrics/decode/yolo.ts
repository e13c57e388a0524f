// Decoding anchor-based YOLO maps [N, A*(5+C), H, W] (channel a*(5+C)+k for anchor a): darknet's YOLOv3 rule
// (centre sigmoid(t) + cell, size exp(t) x anchor) or YOLOv5's (centre 2 sigmoid(t) - 0.5 + cell, size
// (2 sigmoid(t))^2 x anchor). Anchors, masks and the style come from the model's `lithe.yolo` metadata.
import type { ModelProto } from 'onnx-buf';
import { LitheError } from '../../errors.ts';
import { readHeadMetadata } from './metadata.ts';
import type { Detection, Map4 } from './types.ts';

export interface YoloHead { mask: number[]; anchors: number[]; classes: number; style?: 'v3' | 'v5' }
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
    if (h.classes !== heads[0]!.classes) return `head ${i} has ${h.classes} classes, head 0 has ${heads[0]!.classes}`;
    if (heads.findIndex((x) => x.output === h.output) !== i) return `heads ${heads.findIndex((x) => x.output === h.output)} and ${i} both read output '${h.output}'`;
  }
  return undefined;
}

/** The model's YOLO heads from its `lithe.yolo` metadata, checked; undefined when it has none. */
export const yoloMetadata = (model: ModelProto): YoloOutput[] | undefined => readHeadMetadata(model, 'lithe.yolo', YOLO_SCHEMA, yoloProblem);

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

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
  const v5 = head.style === 'v5';
  const out: Detection[] = [];
  for (let a = 0; a < A; a++) {
    const aw = head.anchors[2 * head.mask[a]!]!;
    const ah = head.anchors[2 * head.mask[a]! + 1]!;
    const c0 = base + a * per * plane;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const cell = y * W + x;
        const obj = sigmoid(map.data[c0 + 4 * plane + cell]!);
        if (obj < threshold) continue;
        const tx = sigmoid(map.data[c0 + cell]!);
        const ty = sigmoid(map.data[c0 + plane + cell]!);
        const cx = ((v5 ? 2 * tx - 0.5 : tx) + x) * sx;
        const cy = ((v5 ? 2 * ty - 0.5 : ty) + y) * sy;
        const tw = map.data[c0 + 2 * plane + cell]!;
        const th = map.data[c0 + 3 * plane + cell]!;
        const w = v5 ? (2 * sigmoid(tw)) ** 2 * aw : Math.exp(tw) * aw;
        const h = v5 ? (2 * sigmoid(th)) ** 2 * ah : Math.exp(th) * ah;
        for (let c = 0; c < head.classes; c++) {
          const score = obj * sigmoid(map.data[c0 + (5 + c) * plane + cell]!);
          if (score >= threshold) out.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score, cls: c });
        }
      }
    }
  }
  return out;
}
