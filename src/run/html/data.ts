// What the charts read from a report: one row per model (the input, then each step), and the step details
// that hold series (losses per epoch, channels per layer, progressive rounds), in whichever form a pass wrote them.
import type { Report } from '../report.ts';
import type { StepRecord } from '../folder.ts';
import type { Measures } from '../types.ts';

export interface Row { name: string; short: string; step: number; m: Measures }

export const rows = (r: Report): Row[] => [
  { name: 'input', short: 'input', step: 0, m: r.before },
  ...r.steps.map((s) => ({ name: `${s.index}. ${s.pass}`, short: `${s.index}`, step: s.index, m: s.measures })),
];

export const points = (v: number | undefined): number | undefined => (v === undefined ? undefined : 100 * v);
export const mebibytes = (b: number): number => b / 2 ** 20;

/** A list of numbers: an array, or the "1.2, 0.9" text the report.md table shows. */
export function numbers(v: unknown): number[] | undefined {
  const list = Array.isArray(v) ? v : typeof v === 'string' && /^\s*-?[\d.e+-]+(\s*,\s*-?[\d.e+-]+)*\s*$/i.test(v) ? v.split(',') : undefined;
  const out = list?.map(Number);
  return out?.length && out.every(Number.isFinite) ? out : undefined;
}

/** A detail that is a table (an array of objects), or undefined. */
export function table(s: StepRecord, key: string): Record<string, unknown>[] | undefined {
  const v = s.details?.[key];
  return Array.isArray(v) && v.length && v.every((x) => x && typeof x === 'object') ? (v as Record<string, unknown>[]) : undefined;
}

export const stepName = (s: StepRecord): string => `step ${s.index} (${s.pass})`;
