// The synthetic benchmark's classes. Several pairs differ only in one detail, so a detector has to look
// closely: disc / ring (filled or hollow), disc / dot (size), square / striped square (texture), triangle /
// diamond (shape, same colour), bar (aspect 3:1). Each class says whether a point, in the object's unit box
// (u, v in [0, 1]), is inside it, and what colour it has there.
export type Rgb = [number, number, number];

export interface SynthClass {
  name: string;
  /** Allowed size in pixels (the longer side). */
  size: [number, number];
  /** Width / height. */
  aspect: number;
  colour: Rgb;
  /** Inside the shape at (u, v)? And if so, its colour there (for textures), else the base colour. */
  paint(u: number, v: number, base: Rgb): Rgb | undefined;
}

const inCircle = (u: number, v: number) => (u - 0.5) ** 2 + (v - 0.5) ** 2 <= 0.25;
const WHITE: Rgb = [235, 235, 235];

export const SYNTH_CLASSES: readonly SynthClass[] = [
  { name: 'disc', size: [16, 96], aspect: 1, colour: [210, 40, 40], paint: (u, v, c) => (inCircle(u, v) ? c : undefined) },
  { name: 'ring', size: [16, 96], aspect: 1, colour: [210, 40, 40], paint: (u, v, c) => (inCircle(u, v) && (u - 0.5) ** 2 + (v - 0.5) ** 2 >= 0.1 ? c : undefined) },
  { name: 'dot', size: [6, 12], aspect: 1, colour: [210, 40, 40], paint: (u, v, c) => (inCircle(u, v) ? c : undefined) },
  { name: 'square', size: [14, 90], aspect: 1, colour: [40, 70, 200], paint: (_u, _v, c) => c },
  { name: 'striped-square', size: [14, 90], aspect: 1, colour: [40, 70, 200], paint: (_u, v, c) => (Math.floor(v * 6) % 2 ? WHITE : c) },
  { name: 'triangle', size: [16, 90], aspect: 1, colour: [40, 170, 60], paint: (u, v, c) => (Math.abs(u - 0.5) <= v / 2 ? c : undefined) },
  { name: 'diamond', size: [16, 90], aspect: 1, colour: [40, 170, 60], paint: (u, v, c) => (Math.abs(u - 0.5) + Math.abs(v - 0.5) <= 0.5 ? c : undefined) },
  { name: 'bar', size: [18, 100], aspect: 3, colour: [220, 190, 40], paint: (_u, _v, c) => c },
  { name: 'cross', size: [16, 90], aspect: 1, colour: [190, 50, 190], paint: (u, v, c) => (Math.abs(u - 0.5) <= 0.17 || Math.abs(v - 0.5) <= 0.17 ? c : undefined) },
];
