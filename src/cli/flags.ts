// Reading numeric flags: a whole number of at least `min`, or a usage error naming the flag.
import { UsageError } from './io.ts';

export function wholeFlag(v: string | undefined, flag: string, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} expects a whole number of at least ${min}`);
  return n;
}
