// Input sizes: height × width in pixels, as the recipe's `input 384x640` and --size say them. A single number
// is a square. Code that still assumes a square (training's augmentation and YOLO loss) asks for `square`,
// which refuses another shape by name rather than letterboxing into the wrong one.
import { LitheError } from '../errors.ts';

/** Height, width. */
export type InputSize = readonly [number, number];

export const sizeOf = (s: number | InputSize): InputSize => (typeof s === 'number' ? [s, s] : s);

/** `384x640`, or `416` for a square. */
export const sizeText = (s: InputSize): string => (s[0] === s[1] ? `${s[0]}` : `${s[0]}x${s[1]}`);

/** The side of a square size; `what` cannot use another one. */
export function square(s: number | InputSize, what: string): number {
  const [h, w] = sizeOf(s);
  if (h !== w) throw new LitheError(`${what} needs a square input for now; this model takes ${h}x${w} (height x width)`);
  return h;
}

/** `N` or `HxW` (height x width), whole numbers from 1; undefined when the text is neither. */
export function parseSize(text: string): InputSize | undefined {
  const m = /^(\d+)(?:x(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const [h, w] = [Number(m[1]), Number(m[2] ?? m[1])];
  return h >= 1 && w >= 1 && Number.isSafeInteger(h) && Number.isSafeInteger(w) ? [h, w] : undefined;
}
