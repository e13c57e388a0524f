// Evaluating a model on a COCO data set: each image letterboxed to the model's input, run in batches in
// onnxruntime-node, decoded with the model's own head description (`lithe.yolo` or `lithe.ssd`), filtered by
// class-aware NMS, mapped back to image pixels, and scored by the COCO evaluator.
import * as ort from 'onnxruntime-node';
import type { ModelProto } from 'onnx-buf';
import { readImage } from '../data/read-image.ts';
import { letterbox, unletterbox, type Letterboxed } from '../data/letterbox.ts';
import { DataError, type CocoSet } from '../data/coco.ts';
import { declaredType } from '../onnx/shape/infer.ts';
import { createSession, RuntimeError } from '../runtime/session.ts';
import { evaluateCoco, mapUndefined, type CocoDetection, type CocoResult } from './coco.ts';
import { decodeYolo, yoloMetadata } from './decode/yolo.ts';
import { decodeSsd, ssdMetadata, ssdPriors } from './decode/ssd.ts';
import { nms } from './decode/nms.ts';
import { applyPreprocess, type Preprocess } from '../data/preprocess.ts';
import type { Detection } from './decode/types.ts';

export interface EvalOptions { batch?: number; threads?: number; conf?: number; iou?: number; limit?: number; preprocess?: Preprocess }

type Decoder = (out: ort.InferenceSession.OnnxValueMapType, n: number, size: number) => Detection[];

function decoder(model: ModelProto, classes: number, size: number): Decoder {
  const heads = yoloMetadata(model);
  const layout = ssdMetadata(model);
  if (heads) {
    if (heads[0]!.classes !== classes) throw new RuntimeError(`the model detects ${heads[0]!.classes} classes; the data set has ${classes}`);
    return (out, n, s) => heads.flatMap((h) => decodeYolo(out[h.output] as never, h, [s, s], n));
  }
  if (layout) {
    if (layout.classes !== classes) throw new RuntimeError(`the model detects ${layout.classes} classes; the data set has ${classes}`);
    const priors = ssdPriors(layout);
    return (out, n, s) => decodeSsd(out.boxes as never, out.scores as never, priors, [s, s], n);
  }
  throw new RuntimeError(`the model describes no detection head (no lithe.yolo or lithe.ssd metadata); import it with lithe or build it with lithe zoo`);
}

/** The model's square input size. */
export function inputSize(model: ModelProto): number {
  const t = model.graph?.input[0] && declaredType(model.graph.input[0]);
  const [, , h, w] = t?.shape ?? [];
  if (typeof h !== 'number' || h !== w) throw new RuntimeError('the model needs a square input of fixed size');
  return h;
}

export async function evaluateModel(model: ModelProto, data: CocoSet, opts: EvalOptions = {}): Promise<CocoResult & { images: number; seconds: number }> {
  const t0 = performance.now();
  const size = inputSize(model);
  const decode = decoder(model, data.categories.length, size);
  const images = data.gt.images.slice(0, opts.limit ?? data.gt.images.length);
  // refused before any work: the reference evaluator would answer -1, which is no mAP at all
  const why = mapUndefined({ ...data.gt, images });
  if (why) throw new DataError(`${data.name ?? 'the data set'}: ${why}${images.length < data.gt.images.length ? ` (in the first ${images.length} images)` : ''}: mAP is undefined`);
  const session = await createSession(model, { threads: opts.threads ?? 2 });
  const batch = opts.batch ?? 8;
  const detections: CocoDetection[] = [];
  try {
    for (let i = 0; i < images.length; i += batch) {
      const chunk = images.slice(i, i + batch);
      const boxes: Letterboxed[] = chunk.map((img) => letterbox(readImage(data.path(img), img), size));
      const input = new Float32Array(chunk.length * 3 * size * size);
      boxes.forEach((l, k) => input.set(l.tensor, k * 3 * size * size));
      applyPreprocess(input, chunk.length, opts.preprocess);
      const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, [chunk.length, 3, size, size]) });
      chunk.forEach((img, k) => {
        // At most 3,000 candidates per image go into NMS (MMDetection's nms_pre is 1,000): enough for 100
        // detections, and an untrained model, with every cell above the threshold, stays fast.
        const candidates = decode(out, k, size).filter((d) => d.score >= (opts.conf ?? 0.001));
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
  const gt = { ...data.gt, images };
  return { ...evaluateCoco(gt, detections), images: images.length, seconds: (performance.now() - t0) / 1000 };
}
