// Letterboxing: an image scaled to fit a square input without changing its aspect, centred, padded with grey
// (114, as YOLO training does), as a normalised float CHW tensor. Boxes map back with `unletterbox`.
import type { Image } from './image.ts';

export interface Letterboxed { tensor: Float32Array; size: number; scale: number; padX: number; padY: number }

const PAD = 114 / 255;

export function letterbox(img: Image, size: number): Letterboxed {
  const scale = Math.min(size / img.width, size / img.height);
  const w = Math.round(img.width * scale);
  const h = Math.round(img.height * scale);
  const padX = Math.floor((size - w) / 2);
  const padY = Math.floor((size - h) / 2);
  const plane = size * size;
  const tensor = new Float32Array(3 * plane).fill(PAD);
  // Bilinear sampling at pixel centres. Source columns and weights are tabulated once per call, and the
  // inner loop creates nothing (it runs for every pixel of every image).
  const sx = img.width / w;
  const sy = img.height / h;
  const cx0 = new Int32Array(w);
  const cx1 = new Int32Array(w);
  const cwx = new Float32Array(w);
  for (let x = 0; x < w; x++) {
    const fx = Math.min(img.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
    cx0[x] = Math.floor(fx);
    cx1[x] = Math.min(img.width - 1, cx0[x]! + 1);
    cwx[x] = fx - cx0[x]!;
  }
  const src = img.data;
  const rowStride = img.width * 3;
  for (let y = 0; y < h; y++) {
    const fy = Math.min(img.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const r0 = y0 * rowStride;
    const r1 = Math.min(img.height - 1, y0 + 1) * rowStride;
    const wy = fy - y0;
    const o = (y + padY) * size + padX;
    for (let x = 0; x < w; x++) {
      const a = cx0[x]! * 3;
      const b = cx1[x]! * 3;
      const wx = cwx[x]!;
      for (let c = 0; c < 3; c++) {
        const top = src[r0 + a + c]! * (1 - wx) + src[r0 + b + c]! * wx;
        const bottom = src[r1 + a + c]! * (1 - wx) + src[r1 + b + c]! * wx;
        tensor[c * plane + o + x] = (top * (1 - wy) + bottom * wy) / 255;
      }
    }
  }
  return { tensor, size, scale, padX, padY };
}

/** A box in letterboxed input pixels → the original image's pixels, clipped to it. */
export function unletterbox(b: { x1: number; y1: number; x2: number; y2: number }, l: Letterboxed, width: number, height: number) {
  const clip = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
  return {
    x1: clip((b.x1 - l.padX) / l.scale, width), y1: clip((b.y1 - l.padY) / l.scale, height),
    x2: clip((b.x2 - l.padX) / l.scale, width), y2: clip((b.y2 - l.padY) / l.scale, height),
  };
}
