// Pseudo-labels: with `data images` (photos without annotations), distillation trains on the teacher's own
// detections in place of ground truth, as in self-training for detection (STAC, Unbiased Teacher): the
// teacher runs once over the unaugmented images, its decoded boxes pass class-aware NMS, and those scoring at
// least CONF become the boxes of an annotated copy of the set. They are boxes in image pixels, so the training
// augmentation (mosaic, flips, jitter) moves them with the images as it moves real labels. The teacher is
// deterministic, so a resumed run labels the images exactly as the interrupted one did.
import type { ModelProto } from 'onnx-buf';
import type { CocoSet } from '../../data/coco.ts';
import type { CocoAnnotation } from '../../metrics/coco.ts';
import { detectModel } from '../../metrics/evaluate-model.ts';
import { headFor, type HeadSpec } from '../../metrics/decode/head.ts';
import { noHeadMessage } from '../../metrics/decode/describe.ts';
import type { Preprocess } from '../../data/preprocess.ts';
import { LitheError } from '../../errors.ts';

/** A box becomes a label at this score (class probability × objectness) or more. Ultralytics' auto-annotation
 *  keeps 0.25; STAC keeps 0.9 of a Faster R-CNN's softmax, which scores higher for the same certainty. On the
 *  baseline's 500 val images (3,951 objects), 0.3 gave 81.5% recall and 83.0% precision at IoU 0.5, 0.5 gave
 *  73.8% and 91.3%: 0.3 balances the two, and a missed object costs as much as a false one (it is taught as
 *  background). */
export const PSEUDO_CONF = 0.3;
/** NMS IoU for the labels: YOLO's inference default, tighter than evaluation's 0.6 so one object gives one box. */
export const PSEUDO_IOU = 0.45;

export interface PseudoOptions { threads: number; head?: HeadSpec; preprocess?: Preprocess; conf?: number }

/** `set` with the teacher's confident detections as its annotations, and the teacher's classes (ids 1..C). */
export async function pseudoLabelled(teacher: ModelProto, set: CocoSet, o: PseudoOptions): Promise<CocoSet> {
  const head = headFor(teacher, o.head);
  if (!head) throw new LitheError(`pseudo-labels need the teacher's detections: ${noHeadMessage(teacher)}`);
  if (head.kind === 'none' || !head.classes) throw new LitheError('pseudo-labels need the teacher\'s detections, and its head is declared `none`: declare the head it has (`head yolo ...`)');
  const categories = Array.from({ length: head.classes }, (_, k) => k + 1);
  const withClasses: CocoSet = { ...set, categories };
  const found = await detectModel(teacher, withClasses, { threads: o.threads, head: o.head, preprocess: o.preprocess, conf: o.conf ?? PSEUDO_CONF, iou: PSEUDO_IOU });
  const annotations: CocoAnnotation[] = found.map((d, i) => ({ id: i + 1, image_id: d.image_id, category_id: d.category_id, bbox: d.bbox, area: d.bbox[2] * d.bbox[3], iscrowd: 0 }));
  return {
    ...withClasses,
    gt: { ...set.gt, annotations, categories: categories.map((id) => ({ id, name: `class ${id - 1}` })) },
    name: `${set.name ?? 'the images'} (the teacher's pseudo-labels)`,
  };
}
