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
  // bilinear sampling at pixel centres
  const sx = img.width / w;
  const sy = img.height / h;
  for (let y = 0; y < h; y++) {
    const fy = Math.min(img.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(img.height - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < w; x++) {
      const fx = Math.min(img.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(img.width - 1, x0 + 1);
      const wx = fx - x0;
      const o = (y + padY) * size + x + padX;
      for (let c = 0; c < 3; c++) {
        const p = (yy: number, xx: number) => img.data[(yy * img.width + xx) * 3 + c]!;
        const v = (p(y0, x0) * (1 - wx) + p(y0, x1) * wx) * (1 - wy) + (p(y1, x0) * (1 - wx) + p(y1, x1) * wx) * wy;
        tensor[c * plane + o] = v / 255;
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
