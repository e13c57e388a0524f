// Evaluating a model on a COCO data set: each image letterboxed to the model's input (height x width), run in
// batches in onnxruntime-node, decoded with the model's head (declared, recorded in its metadata, or found in
// the graph), filtered by class-aware NMS, mapped back to image pixels, and scored by the COCO evaluator.
import * as ort from 'onnxruntime-node';
import type { ModelProto } from 'onnx-buf';
import { readImage } from '../data/read-image.ts';
import { letterbox, PAD, unletterbox, type Letterboxed } from '../data/letterbox.ts';
import { DataError, type CocoSet } from '../data/coco.ts';
import { imageInput, dims } from '../onnx/prepare/image-input.ts';
import type { InputSize } from '../data/size.ts';
import { createSession, RuntimeError } from '../runtime/session.ts';
import { evaluateCoco, mapUndefined, type CocoDetection, type CocoResult } from './coco.ts';
import { headFor, type HeadSpec } from './decode/head.ts';
import { decoderFor } from './decode/decoder.ts';
import { noHeadMessage, NoHeadError } from './decode/describe.ts';
import { nms } from './decode/nms.ts';
import { applyPreprocess, type Preprocess } from '../data/preprocess.ts';
import type { Detection } from './decode/types.ts';

export interface EvalOptions {
  batch?: number; threads?: number; conf?: number; iou?: number; limit?: number;
  /** The recipe's `head` (plan.head), when it declares one. */
  head?: HeadSpec;
  /** The recipe's preprocessing (mean, std, bgr), applied to each letterboxed batch. */
  preprocess?: Preprocess;
}

/** `input`: the input's width and height, as the decoders take them. */
type Decoder = (out: ort.InferenceSession.OnnxValueMapType, n: number, input: [number, number]) => Detection[];

/** The decoder of the model's head (headFor: the declared head, its metadata, or one found in the graph). */
function decoder(model: ModelProto, classes: number, declared?: HeadSpec): Decoder {
  const head = headFor(model, declared);
  if (!head) throw new NoHeadError(noHeadMessage(model));
  if (head.kind === 'none') throw new RuntimeError('the model\'s head is declared `none`: lithe cannot measure its mAP');
  if (head.classes !== classes) throw new RuntimeError(`the model detects ${head.classes} classes; the data set has ${classes}`);
  const decode = decoderFor(head, model);
  return (out, n, wh) => decode(out, n, wh);
}

const imageOf = (model: ModelProto) => imageInput({ inputs: model.graph?.input ?? [], initializers: new Set(model.graph?.initializer.map((t) => t.name)) });

/** The model's input size, height x width (NCHW: lithe's preparation turns NHWC inputs round and fixes a
 *  symbolic size from `input` or --size). */
export function inputSize(model: ModelProto): InputSize {
  const img = imageOf(model);
  if (!img) throw new RuntimeError('the model has no image input (a graph input of rank 4, NCHW)');
  const [, , h, w] = img.shape;
  if (typeof h !== 'number' || typeof w !== 'number') {
    throw new RuntimeError(`the model's input '${img.info.name}' has no fixed size (${dims(img.shape)}): \`input N\` or \`input HxW\` in the recipe, or --size, fixes it`);
  }
  return [h, w];
}

/** The batch the model's input fixes, or undefined when it is symbolic. */
export const fixedBatch = (model: ModelProto): number | undefined => {
  const n = imageOf(model)?.shape[0];
  return typeof n === 'number' ? n : undefined;
};

export async function evaluateModel(model: ModelProto, data: CocoSet, opts: EvalOptions = {}): Promise<CocoResult & { images: number; seconds: number }> {
  const t0 = performance.now();
  const images = data.gt.images.slice(0, opts.limit ?? data.gt.images.length);
  // refused before any work: the reference evaluator would answer -1, which is no mAP at all
  const why = mapUndefined({ ...data.gt, images });
  if (why) throw new DataError(`${data.name ?? 'the data set'}: ${why}${images.length < data.gt.images.length ? ` (in the first ${images.length} images)` : ''}: mAP is undefined`);
  const detections = await detectModel(model, { ...data, gt: { ...data.gt, images } }, opts);
  const gt = { ...data.gt, images };
  return { ...evaluateCoco(gt, detections), images: images.length, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The model's detections on the set's images, in image pixels, as COCO results: each image letterboxed, run in
 * batches, decoded, class-aware NMS (IoU `iou`, 0.6), scores of at least `conf` (0.001, as COCO evaluation
 * wants: every candidate that may count). Class k is the set's k-th category.
 */
export async function detectModel(model: ModelProto, data: CocoSet, opts: EvalOptions = {}): Promise<CocoDetection[]> {
  const [h, w] = inputSize(model);
  const decode = decoder(model, data.categories.length, opts.head);
  const images = data.gt.images.slice(0, opts.limit ?? data.gt.images.length);
  const session = await createSession(model, { threads: opts.threads ?? 2 });
  // a model whose batch is fixed is fed batches of that size, the last one padded with grey images
  const fixed = fixedBatch(model);
  const batch = fixed ?? opts.batch ?? 8;
  const plane = 3 * h * w;
  const feed = imageOf(model)!.info.name;
  const detections: CocoDetection[] = [];
  try {
    for (let i = 0; i < images.length; i += batch) {
      const chunk = images.slice(i, i + batch);
      const boxes: Letterboxed[] = chunk.map((img) => letterbox(readImage(data.path(img), img), [h, w]));
      const n = fixed ?? chunk.length;
      const input = new Float32Array(n * plane).fill(PAD);
      boxes.forEach((l, k) => input.set(l.tensor, k * plane));
      applyPreprocess(input, n, opts.preprocess);
      const out = await session.run({ [feed]: new ort.Tensor('float32', input, [n, 3, h, w]) });
      chunk.forEach((img, k) => {
        // At most 3,000 candidates per image go into NMS (MMDetection's nms_pre is 1,000): enough for 100
        // detections, and an untrained model, with every cell above the threshold, stays fast.
        const candidates = decode(out, k, [w, h]).filter((d) => d.score >= (opts.conf ?? 0.001));
        const kept = nms(candidates, { iou: opts.iou ?? 0.6, maxDetections: 100, maxCandidates: 3000 });
        for (const d of kept) {
          const b = unletterbox(d, boxes[k]!, img.width, img.height);
          if (b.x2 <= b.x1 || b.y2 <= b.y1) continue;
          detections.push({ image_id: img.id, category_id: data.categories[d.cls]!, bbox: [b.x1, b.y1, b.x2 - b.x1, b.y2 - b.y1], score: d.score });
        }
      });
    }
  } finally {
    await session.release();
  }
  return detections;
}
