// Training augmentation, as YOLO trainers do it (ultralytics' defaults): a random scale and translation of the
// letterboxed image, a horizontal flip, HSV jitter, and optionally a mosaic of four images. Every geometric
// step is one axis-aligned affine map per image, composed before any pixel is touched, so each image is
// resampled once (a mosaic is never drawn at 2× and shrunk). Boxes follow the same map; boxes that end up
// mostly outside the picture are dropped. Randomness comes only from the `rnd` passed in.
import type { Image } from './image.ts';
import { PAD, warpInto, type Affine, type Rect } from './letterbox.ts';

/** One image with its objects: boxes as x1, y1, x2, y2 in its pixels, classes as indices. */
export interface Sample { image: Image; boxes: Float32Array; classes: Int32Array }
/** An input tensor (3 × size × size, 0..1) and its objects in input pixels. */
export interface Augmented { tensor: Float32Array; boxes: Float32Array; classes: Int32Array }

export interface AugmentOptions {
  /** Probability of a horizontal flip. */
  flip: number;
  /** Scale gain drawn from [1 - scale, 1 + scale]. */
  scale: number;
  /** Translation drawn from ±translate × size, per axis. */
  translate: number;
  /** Hue, saturation and value gains drawn from 1 ± each. */
  hsv: [number, number, number];
  /** Probability of a mosaic of four images instead of one. */
  mosaic: number;
}

export const AUGMENT_DEFAULTS: AugmentOptions = { flip: 0.5, scale: 0.5, translate: 0.1, hsv: [0.015, 0.7, 0.4], mosaic: 0 };
/** The identity: plain letterboxing, as for evaluation. */
export const NO_AUGMENT: AugmentOptions = { flip: 0, scale: 0, translate: 0, hsv: [0, 0, 0], mosaic: 0 };

/** One image placed into the output: its map into output pixels and the region it may fill there. */
interface Piece { sample: Sample; map: Affine; clip: Rect }

const uniform = (rnd: () => number, lo: number, hi: number) => lo + (hi - lo) * rnd();
const fit = (img: Image, size: number) => Math.min(size / img.width, size / img.height);

/** A single letterboxed image, scaled by `gain` about the centre and shifted by (dx, dy). */
function single(sample: Sample, size: number, gain: number, dx: number, dy: number): Piece[] {
  // rounded as `letterbox` rounds, so that with no jitter both give the same pixels
  const k = fit(sample.image, size) * gain;
  const w = Math.round(sample.image.width * k);
  const h = Math.round(sample.image.height * k);
  const map = { sx: w / sample.image.width, sy: h / sample.image.height, tx: Math.floor((size - w) / 2) + dx, ty: Math.floor((size - h) / 2) + dy };
  return [{ sample, map, clip: { x0: 0, y0: 0, x1: size, y1: size } }];
}

/**
 * Four images around a random centre of a 2·size canvas (ultralytics' layout), and the canvas mapped to the
 * output by `gain` about its centre and the shift: each image's map is the composition of the two.
 */
function mosaic(samples: Sample[], size: number, gain: number, dx: number, dy: number, rnd: () => number): Piece[] {
  const xc = uniform(rnd, size / 2, 1.5 * size);
  const yc = uniform(rnd, size / 2, 1.5 * size);
  const out = (v: number, shift: number) => gain * (v - size) + size / 2 + shift;
  return samples.map((sample, i) => {
    const k = fit(sample.image, size);
    const [w, h] = [sample.image.width * k, sample.image.height * k];
    const left = i % 2 === 0;
    const top = i < 2;
    const tx = left ? xc - w : xc;
    const ty = top ? yc - h : yc;
    const canvas = { x0: left ? 0 : xc, x1: left ? xc : 2 * size, y0: top ? 0 : yc, y1: top ? yc : 2 * size };
    return {
      sample,
      map: { sx: gain * k, sy: gain * k, tx: out(tx, dx), ty: out(ty, dy) },
      clip: { x0: out(canvas.x0, dx), x1: out(canvas.x1, dx), y0: out(canvas.y0, dy), y1: out(canvas.y1, dy) },
    };
  });
}

function mirror(p: Piece, size: number): Piece {
  return { sample: p.sample, map: { ...p.map, sx: -p.map.sx, tx: size - p.map.tx }, clip: { ...p.clip, x0: size - p.clip.x1, x1: size - p.clip.x0 } };
}

/** The pixels whose centres lie in a continuous region, clipped to the output. */
function pixels(r: Rect, size: number): Rect {
  const px = (v: number) => Math.min(size, Math.max(0, Math.ceil(v - 0.5)));
  return { x0: px(r.x0), y0: px(r.y0), x1: px(r.x1), y1: px(r.y1) };
}

/**
 * Boxes through a piece's map, clipped to its region and the output. A box is kept when it is still more
 * than 2 pixels wide and high and keeps over 10% of its mapped area (ultralytics' box_candidates).
 */
function mapBoxes(p: Piece, size: number, boxes: number[], classes: number[]): void {
  const { sx, sy, tx, ty } = p.map;
  const b = p.sample.boxes;
  for (let i = 0; i < p.sample.classes.length; i++) {
    const xa = b[4 * i]! * sx + tx;
    const xb = b[4 * i + 2]! * sx + tx;
    const ya = b[4 * i + 1]! * sy + ty;
    const yb = b[4 * i + 3]! * sy + ty;
    const [x1, x2] = [Math.max(Math.min(xa, xb), p.clip.x0, 0), Math.min(Math.max(xa, xb), p.clip.x1, size)];
    const [y1, y2] = [Math.max(Math.min(ya, yb), p.clip.y0, 0), Math.min(Math.max(ya, yb), p.clip.y1, size)];
    const area = (x2 - x1) * (y2 - y1);
    if (x2 - x1 <= 2 || y2 - y1 <= 2 || area <= 0.1 * Math.abs(xb - xa) * Math.abs(yb - ya)) continue;
    boxes.push(x1, y1, x2, y2);
    classes.push(p.sample.classes[i]!);
  }
}

/** HSV gains on a CHW tensor in place. Hue is multiplied, as ultralytics' augment_hsv does. */
export function jitterHsv(t: Float32Array, plane: number, gh: number, gs: number, gv: number): void {
  for (let i = 0; i < plane; i++) {
    const r = t[i]!;
    const g = t[plane + i]!;
    const b = t[2 * plane + i]!;
    const max = Math.max(r, g, b);
    const d = max - Math.min(r, g, b);
    let h = 0;
    if (d > 0) h = max === r ? ((g - b) / d + 6) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
    h = (h * gh) % 6;
    const v = Math.min(1, max * gv);
    const s = max > 0 ? Math.min(1, (d / max) * gs) : 0;
    const f = (n: number) => { const k = (n + h) % 6; return v - v * s * Math.max(0, Math.min(k, 4 - k, 1)); };
    t[i] = f(5);
    t[plane + i] = f(3);
    t[2 * plane + i] = f(1);
  }
}

/**
 * Draws one training input from `samples`: the first alone, or all four as a mosaic (the caller decides with
 * `opts.mosaic` and supplies four). With NO_AUGMENT this is exactly `letterbox`.
 */
export function augment(samples: Sample[], size: number, rnd: () => number, opts: AugmentOptions): Augmented {
  const gain = uniform(rnd, 1 - opts.scale, 1 + opts.scale);
  const dx = uniform(rnd, -opts.translate, opts.translate) * size;
  const dy = uniform(rnd, -opts.translate, opts.translate) * size;
  let pieces = samples.length === 4 ? mosaic(samples, size, gain, dx, dy, rnd) : single(samples[0]!, size, gain, dx, dy);
  if (rnd() < opts.flip) pieces = pieces.map((p) => mirror(p, size));
  const tensor = new Float32Array(3 * size * size).fill(PAD);
  const boxes: number[] = [];
  const classes: number[] = [];
  for (const p of pieces) {
    warpInto(tensor, size, p.sample.image, p.map, pixels(p.clip, size));
    mapBoxes(p, size, boxes, classes);
  }
  const [h, s, v] = opts.hsv.map((g) => uniform(rnd, 1 - g, 1 + g)) as [number, number, number];
  if (h !== 1 || s !== 1 || v !== 1) jitterHsv(tensor, size * size, h, s, v);
  return { tensor, boxes: Float32Array.from(boxes), classes: Int32Array.from(classes) };
}
