// Batches for training: a data set's images in a shuffled order that depends only on (seed, epoch), each
// drawn through augmentation with its own random stream keyed by (seed, epoch, position), so a run that
// resumes at epoch e sees exactly the batches an uninterrupted run would have seen. A non-square input
// (height x width) is letterboxed as evaluation does; augmentation, written for squares, refuses it by name.
import { readImage } from './read-image.ts';
import type { CocoSet } from './coco.ts';
import { augment, NO_AUGMENT, type Augmented, type AugmentOptions, type Sample } from './augment.ts';
import { letterbox } from './letterbox.ts';
import { sizeOf, square, type InputSize } from './size.ts';
import { mulberry32 } from '../util/random.ts';
import { applyPreprocess, type Preprocess } from './preprocess.ts';

export interface BatchOptions {
  /** The input: a square side, or height x width. */
  size: number | InputSize;
  batch: number;
  seed?: number;
  /** Off for evaluation-like passes over the data (calibration, validation loss). */
  shuffle?: boolean;
  augment?: AugmentOptions;
  /** Drop a last, smaller batch (training sessions have a fixed batch size). */
  dropLast?: boolean;
  /** The model's own input normalisation (a recipe's mean, std, bgr), applied to each letterboxed image. */
  preprocess?: Preprocess;
}

/** Objects of one input, in input pixels: boxes x1, y1, x2, y2; classes as indices into the data set's. */
export interface Target { boxes: Float32Array; classes: Int32Array }
export interface Batch { input: Float32Array; count: number; targets: Target[]; imageIds: number[] }

const mix = (...xs: number[]) => xs.reduce((h, x) => Math.imul(h ^ (x + 0x9e3779b9), 0x85ebca6b) ^ (h >>> 13), 0x2545f491);

/** A permutation of 0..n-1 (Fisher–Yates) that depends only on seed and epoch. */
export function permutation(n: number, seed: number, epoch: number): Uint32Array {
  const p = Uint32Array.from({ length: n }, (_, i) => i);
  const rnd = mulberry32(mix(seed, epoch));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

export class DetectionLoader {
  private readonly objects: { boxes: number[]; classes: number[] }[];
  private readonly opts: Required<Omit<BatchOptions, 'preprocess'>> & Pick<BatchOptions, 'preprocess'>;
  /** The last epoch's order: every batch of an epoch reads it. */
  private order?: { epoch: number; perm: Uint32Array };

  constructor(private readonly set: CocoSet, opts: BatchOptions) {
    this.opts = { seed: 0, shuffle: true, augment: NO_AUGMENT, dropLast: false, ...opts };
    const index = new Map(set.gt.images.map((img, i) => [img.id, i]));
    const classOf = new Map(set.categories.map((c, i) => [c, i]));
    this.objects = set.gt.images.map(() => ({ boxes: [], classes: [] }));
    for (const a of set.gt.annotations) {
      // crowd regions and VOC's "difficult" objects are neither targets nor background: skip them
      if (a.iscrowd || a.ignore) continue;
      const o = this.objects[index.get(a.image_id)!]!;
      const [x, y, w, h] = a.bbox;
      o.boxes.push(x, y, x + w, y + h);
      o.classes.push(classOf.get(a.category_id)!);
    }
  }

  get images(): number { return this.set.gt.images.length; }

  batchesPerEpoch(): number {
    const { batch, dropLast } = this.opts;
    return dropLast ? Math.floor(this.images / batch) : Math.ceil(this.images / batch);
  }

  sample(i: number): Sample {
    const img = this.set.gt.images[i]!;
    const file = this.set.path(img);
    const o = this.objects[i]!;
    return { image: readImage(file, img), boxes: Float32Array.from(o.boxes), classes: Int32Array.from(o.classes) };
  }

  /** One input from the images `picks` (one, or four for a mosaic). */
  private draw(picks: number[], rnd: () => number): Augmented {
    const { size, augment: aug } = this.opts;
    const [h, w] = sizeOf(size);
    if (h === w) return augment(picks.map((j) => this.sample(j)), h, rnd, aug);
    if (!isIdentity(aug)) square(size, 'augmentation (training)');
    return letterboxSample(this.sample(picks[0]!), [h, w]);
  }

  /** Batch `b` of `epoch`: can be drawn alone, in any order (resume, worker threads). */
  batch(epoch: number, b: number): Batch {
    const { size, batch, seed, shuffle, augment: aug } = this.opts;
    if (shuffle && this.order?.epoch !== epoch) this.order = { epoch, perm: permutation(this.images, seed, epoch) };
    const order = shuffle ? this.order!.perm : null;
    const positions = Array.from({ length: Math.min(batch, this.images - b * batch) }, (_, k) => b * batch + k);
    const [h, w] = sizeOf(size);
    const plane = 3 * h * w;
    const input = new Float32Array(positions.length * plane);
    const targets: Target[] = [];
    const imageIds: number[] = [];
    positions.forEach((pos, k) => {
      const i = order ? order[pos]! : pos;
      const rnd = mulberry32(mix(seed, epoch, pos, 1));
      const picks = rnd() < aug.mosaic ? [i, ...[0, 1, 2].map(() => Math.floor(rnd() * this.images))] : [i];
      const out = this.draw(picks, rnd);
      input.set(out.tensor, k * plane);
      targets.push({ boxes: out.boxes, classes: out.classes });
      imageIds.push(this.set.gt.images[i]!.id);
    });
    applyPreprocess(input, positions.length, this.opts.preprocess);
    return { input, count: positions.length, targets, imageIds };
  }

  *epoch(epoch: number, from = 0): Generator<Batch> {
    for (let b = from; b < this.batchesPerEpoch(); b++) yield this.batch(epoch, b);
  }
}

const isIdentity = (a: AugmentOptions): boolean => !a.flip && !a.scale && !a.translate && !a.mosaic && a.hsv.every((g) => !g);

/** A letterboxed input and its boxes, kept as augmentation keeps them: more than 2 pixels wide and high, and
 *  over 10% of their area inside the input. */
function letterboxSample(s: Sample, [h, w]: InputSize): Augmented {
  const l = letterbox(s.image, [h, w]);
  const boxes: number[] = [];
  const classes: number[] = [];
  const b = s.boxes;
  for (let i = 0; i < s.classes.length; i++) {
    const [xa, ya, xb, yb] = [b[4 * i]! * l.scale + l.padX, b[4 * i + 1]! * l.scale + l.padY, b[4 * i + 2]! * l.scale + l.padX, b[4 * i + 3]! * l.scale + l.padY];
    const [x1, y1, x2, y2] = [Math.max(xa, 0), Math.max(ya, 0), Math.min(xb, w), Math.min(yb, h)];
    if (x2 - x1 <= 2 || y2 - y1 <= 2 || (x2 - x1) * (y2 - y1) <= 0.1 * (xb - xa) * (yb - ya)) continue;
    boxes.push(x1, y1, x2, y2);
    classes.push(s.classes[i]!);
  }
  return { tensor: l.tensor, boxes: Float32Array.from(boxes), classes: Int32Array.from(classes) };
}
