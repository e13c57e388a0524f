// Reading numeric flags: a whole number of at least `min`, or a usage error naming the flag; an input size.
import { UsageError } from './io.ts';
import { parseSize, type InputSize } from '../data/size.ts';
import { BOUNDS } from '../plan/bounds.ts';

export function wholeFlag(v: string | undefined, flag: string, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} expects a whole number of at least ${min}`);
  return n;
}

/** `--size N` or `--size HxW` (height x width), as the recipe's `input` takes it. */
export function sizeFlag(v: string | undefined, flag = '--size'): InputSize | undefined {
  if (v === undefined) return undefined;
  const s = parseSize(v);
  if (!s || s.some((d) => d > BOUNDS.imgsz.max)) throw new UsageError(`${flag} expects N or HxW (height x width) in pixels, 1 to ${BOUNDS.imgsz.max}; got '${v}'`);
  return s;
}
