// Letterboxing: an image scaled to fit the input (height x width, or a square side) without changing its
// aspect, centred, padded with grey (114, as YOLO training does), as a normalised float CHW tensor. Boxes map
// back with `unletterbox`.
// Letterboxing is one case of `warpInto`, the axis-aligned affine resampler that training augmentation
// (scale and translate jitter, flips, mosaic) uses too, so both see identically resampled pixels.
import type { Image } from './image.ts';
import { sizeOf, type InputSize } from './size.ts';

/** `size`: the input's width (its side when square); `height` its height. */
export interface Letterboxed { tensor: Float32Array; size: number; height: number; scale: number; padX: number; padY: number }

/** dest = src · s + t per axis, in continuous pixel coordinates (0 is a pixel's left edge); s < 0 flips. */
export interface Affine { sx: number; sy: number; tx: number; ty: number }
/** A region of the destination in pixels, [x0, x1) × [y0, y1). */
export interface Rect { x0: number; y0: number; x1: number; y1: number }

export const PAD = 114 / 255;

/** Destination pixels [0, n) whose centres map into the source's extent, with their bilinear taps. */
function taps(n: number, s: number, t: number, srcLen: number, lo: number, hi: number) {
  const i0 = new Int32Array(n);
  const i1 = new Int32Array(n);
  const w = new Float32Array(n);
  const inside = new Uint8Array(n);
  for (let d = Math.max(0, lo); d < Math.min(n, hi); d++) {
    const f = (d + 0.5 - t) / s - 0.5;
    if (f < -0.5 || f > srcLen - 0.5) continue;
    const c = Math.min(srcLen - 1, Math.max(0, f));
    i0[d] = Math.floor(c);
    i1[d] = Math.min(srcLen - 1, i0[d]! + 1);
    w[d] = c - i0[d]!;
    inside[d] = 1;
  }
  return { i0, i1, w, inside };
}

/**
 * Resamples `img` bilinearly through `m` into the CHW tensor `dst` (size: height x width, or a square side),
 * inside `clip` only; pixels whose source lies outside the image keep what `dst` held. Tables per row and
 * column keep the inner loop, which runs for every pixel of every image, free of allocation and division.
 */
export function warpInto(dst: Float32Array, size: number | InputSize, img: Image, m: Affine, clip?: Rect): void {
  const [height, width] = sizeOf(size);
  const c = clip ?? { x0: 0, y0: 0, x1: width, y1: height };
  const cols = taps(width, m.sx, m.tx, img.width, c.x0, c.x1);
  const rows = taps(height, m.sy, m.ty, img.height, c.y0, c.y1);
  const src = img.data;
  const plane = height * width;
  const stride = img.width * 3;
  for (let y = 0; y < height; y++) {
    if (!rows.inside[y]) continue;
    const r0 = rows.i0[y]! * stride;
    const r1 = rows.i1[y]! * stride;
    const wy = rows.w[y]!;
    for (let x = 0; x < width; x++) {
      if (!cols.inside[x]) continue;
      const a = cols.i0[x]! * 3;
      const b = cols.i1[x]! * 3;
      const wx = cols.w[x]!;
      const o = y * width + x;
      for (let ch = 0; ch < 3; ch++) {
        const top = src[r0 + a + ch]! * (1 - wx) + src[r0 + b + ch]! * wx;
        const bottom = src[r1 + a + ch]! * (1 - wx) + src[r1 + b + ch]! * wx;
        dst[ch * plane + o] = (top * (1 - wy) + bottom * wy) / 255;
      }
    }
  }
}

export function letterbox(img: Image, size: number | InputSize): Letterboxed {
  const [height, width] = sizeOf(size);
  const scale = Math.min(width / img.width, height / img.height);
  const w = Math.round(img.width * scale);
  const h = Math.round(img.height * scale);
  const padX = Math.floor((width - w) / 2);
  const padY = Math.floor((height - h) / 2);
  const tensor = new Float32Array(3 * height * width).fill(PAD);
  // each axis is stretched to its rounded length, so the image fills exactly w × h pixels
  warpInto(tensor, [height, width], img, { sx: w / img.width, sy: h / img.height, tx: padX, ty: padY });
  return { tensor, size: width, height, scale, padX, padY };
}

/** A box in letterboxed input pixels → the original image's pixels, clipped to it. */
export function unletterbox(b: { x1: number; y1: number; x2: number; y2: number }, l: Letterboxed, width: number, height: number) {
  const clip = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
  return {
    x1: clip((b.x1 - l.padX) / l.scale, width), y1: clip((b.y1 - l.padY) / l.scale, height),
    x2: clip((b.x2 - l.padX) / l.scale, width), y2: clip((b.y2 - l.padY) / l.scale, height),
  };
}
