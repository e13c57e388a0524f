// Predicted figures in words, for `lithe explain`, the REPL's `.explain` and the editor's hover on a step.
import type { Figures, PlanPrediction } from './steps.ts';

/** A count in the unit that shows it with two decimals: 8.86 M, 0.26 G, 15.2 k (a tiny model's). */
function unit(x: number, big: 'M' | 'G'): string {
  const [scale, name] = big === 'G' && x >= 1e8 ? [1e9, 'G'] : x >= 1e5 ? [1e6, 'M'] : [1e3, 'k'];
  return `${(x / scale).toFixed(name === 'k' ? 1 : 2)} ${name}`;
}
export const M = (x: number) => unit(x, 'M');
export const G = (x: number) => unit(x, 'G');
export const MiB = (x: number) => (x >= 2 ** 17 ? `${(x / 2 ** 20).toFixed(1)} MiB` : `${(x / 2 ** 10).toFixed(1)} KiB`);
/** The change from `before`, when there is one: ` (−50%)`. */
const delta = (x: number, before?: number) => (before && Math.abs(x / before - 1) >= 0.0005 ? ` (${x < before ? '−' : '+'}${Math.abs(100 * (x / before - 1)).toFixed(1)}%)` : '');

export function msText(v: number | string | undefined, before?: number | string): string {
  if (typeof v !== 'number') return 'no latency model';
  return `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms${delta(v, typeof before === 'number' ? before : undefined)}`;
}

/** One line: params, MACs, size (and precision), then each target's latency; changes against `before`. */
export function figuresText(f: Figures, before?: Figures): string {
  const size = `${MiB(f.bytes)}${delta(f.bytes, before?.bytes)} ${f.precision}`;
  const parts = [`${M(f.params)} params${delta(f.params, before?.params)}`, `${G(f.macs)} MACs${delta(f.macs, before?.macs)}`, size];
  const lat = Object.entries(f.ms).map(([t, v]) => `${t} ${msText(v, before?.ms[t])}`);
  return `${parts.join(', ')}${lat.length ? `; latency ${lat.join(', ')}` : ''}`;
}

/** Why a target has no prediction, once per target (the figures say `no latency model`). */
function reasons(p: PlanPrediction): string[] {
  return Object.entries(p.input.ms).filter(([, v]) => typeof v === 'string').map(([, v]) => `(${v as string})`);
}

/** The input line, and the lines after each step, by step index. */
export function predictionLines(p: PlanPrediction, targets: number): { input: string[]; steps: Map<number, string[]> } {
  const input = [`predicted ${figuresText(p.input)}${targets ? '' : ' (no target: no latency; add `target NAME`)'}`, ...reasons(p).map((r) => `          ${r}`)];
  const steps = new Map<number, string[]>();
  let before = p.input;
  for (const s of p.steps) {
    steps.set(s.index, s.changed ? [`predicts  ${figuresText(s, before)}`, ...s.notes.map((n) => `          ${n}`)] : ['predicts  no change to size or speed']);
    before = s;
  }
  if (p.stopped) steps.set(p.stopped.index, [`predicts  nothing: ${p.stopped.why}`]);
  return { input, steps };
}
