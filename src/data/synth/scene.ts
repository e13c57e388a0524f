// One synthetic scene: a varied background, unlabeled clutter, objects drawn in order (later ones occlude
// earlier ones), then noise. An object is annotated with its full box, clipped to the image, and its visible
// pixel count as `area`; one hidden for more than 60% is dropped, as an annotator would not mark it.
import type { Image } from '../image.ts';
import { SYNTH_CLASSES, type Rgb } from './classes.ts';

export interface SynthObject { cls: number; bbox: [number, number, number, number]; area: number }

type Rnd = () => number;

const jitter = (c: Rgb, r: Rnd, amount: number): Rgb => c.map((x) => Math.max(0, Math.min(255, x + (r() - 0.5) * 2 * amount))) as Rgb;

function background(img: Image, r: Rnd): void {
  const { width: W, height: H, data } = img;
  const kind = Math.floor(r() * 4);
  const a: Rgb = [60 + r() * 140, 60 + r() * 140, 60 + r() * 140];
  const b: Rgb = [60 + r() * 140, 60 + r() * 140, 60 + r() * 140];
  const cell = 8 + Math.floor(r() * 24);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const t = kind === 1 ? y / H : kind === 2 ? ((Math.floor(x / cell) + Math.floor(y / cell)) % 2) * 0.25 : kind === 3 ? r() * 0.3 : 0;
    const o = (y * W + x) * 3;
    for (let c = 0; c < 3; c++) data[o + c] = a[c]! * (1 - t) + b[c]! * t;
  }
}

function clutter(img: Image, r: Rnd): void {
  const { width: W, height: H, data } = img;
  const n = Math.floor(r() * 12);
  for (let k = 0; k < n; k++) {
    const colour: Rgb = r() < 0.4 ? jitter(SYNTH_CLASSES[Math.floor(r() * SYNTH_CLASSES.length)]!.colour, r, 30) : [r() * 255, r() * 255, r() * 255];
    if (r() < 0.5) {
      // a thin line
      const [x0, y0, x1, y1] = [r() * W, r() * H, r() * W, r() * H];
      const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0));
      for (let s = 0; s <= steps; s++) {
        const x = Math.round(x0 + ((x1 - x0) * s) / steps);
        const y = Math.round(y0 + ((y1 - y0) * s) / steps);
        if (x >= 0 && y >= 0 && x < W && y < H) data.set(colour, (y * W + x) * 3);
      }
    } else {
      // an irregular blob: a few overlapping small squares
      const cx = r() * W;
      const cy = r() * H;
      for (let p = 0; p < 6; p++) {
        const bx = Math.round(cx + (r() - 0.5) * 12);
        const by = Math.round(cy + (r() - 0.5) * 12);
        for (let y = by; y < by + 4; y++) for (let x = bx; x < bx + 4; x++) if (x >= 0 && y >= 0 && x < W && y < H) data.set(colour, (y * W + x) * 3);
      }
    }
  }
}

export function scene(size: number, r: Rnd): { image: Image; objects: SynthObject[] } {
  const image: Image = { width: size, height: size, data: new Uint8Array(size * size * 3) };
  background(image, r);
  clutter(image, r);
  const owner = new Int16Array(size * size).fill(-1);
  const placed: { cls: number; box: [number, number, number, number]; total: number }[] = [];
  const count = 3 + Math.floor(r() * 12);
  for (let k = 0; k < count; k++) {
    const cls = Math.floor(r() * SYNTH_CLASSES.length);
    const c = SYNTH_CLASSES[cls]!;
    const long = c.size[0] + r() * (Math.min(c.size[1], size / 3) - c.size[0]);
    const horizontal = r() < 0.5;
    // whole pixels, so the box covers exactly the pixels painted
    const [w, h] = (c.aspect === 1 ? [long, long] : horizontal ? [long, long / c.aspect] : [long / c.aspect, long]).map((d) => Math.max(2, Math.round(d))) as [number, number];
    const x0 = Math.round(r() * (size - w));
    const y0 = Math.round(r() * (size - h));
    const colour = jitter(c.colour, r, 25);
    let total = 0;
    for (let y = y0; y < Math.min(size, y0 + h); y++) for (let x = x0; x < Math.min(size, x0 + w); x++) {
      const px = c.paint((x + 0.5 - x0) / w, (y + 0.5 - y0) / h, colour);
      if (!px) continue;
      image.data.set(px, (y * size + x) * 3);
      owner[y * size + x] = k;
      total++;
    }
    placed.push({ cls, box: [x0, y0, Math.min(size - x0, w), Math.min(size - y0, h)], total });
  }
  const visible = new Int32Array(count);
  for (const o of owner) if (o >= 0) visible[o]!++;
  // sensor-like noise of a strength that varies from scene to scene (uniform: one draw per value keeps the
  // default data set well inside a minute)
  const amp = 4 + r() * 16;
  for (let i = 0; i < image.data.length; i++) image.data[i] = Math.max(0, Math.min(255, image.data[i]! + (r() - 0.5) * amp));
  const objects = placed.flatMap((p, k) => (p.total > 0 && visible[k]! / p.total >= 0.4 ? [{ cls: p.cls, bbox: p.box, area: visible[k]! }] : []));
  return { image, objects };
}
