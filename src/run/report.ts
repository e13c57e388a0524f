// report.json (everything, for tools) and report.md (the before/after table people read). Each row is the
// model after a step; changes are against the input model, so the last row says what the recipe achieved.
import type { Plan } from '../plan/types.ts';
import type { RunState, StepRecord } from './folder.ts';
import type { Measures } from './types.ts';
import { LATENCY_THREADS } from './measure.ts';
import { latencyMethod, type LatencyMethod } from './method.ts';

export interface Report { lithe: 'report/1'; recipe?: string; model?: string; before: Measures; steps: StepRecord[];
  /** How latency was measured (absent in reports written before lithe recorded it). */
  latency_method?: LatencyMethod }

export const buildReport = (plan: Plan, state: RunState): Report => ({
  lithe: 'report/1', recipe: plan.source, model: plan.model?.path ?? (plan.model?.zoo && `zoo:${plan.model.zoo}`), before: state.before, steps: state.steps,
  latency_method: latencyMethod(),
});

export const millions = (n: number) => `${(n / 1e6).toFixed(2)} M`;
export const giga = (n: number) => `${(n / 1e9).toFixed(2)} G`;
export const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
const pct = (x: number | undefined) => (x === undefined ? '—' : (100 * x).toFixed(1));
const ms = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(1));

/** The change against the input; a 0 where the input had some is a count that failed, not an infinite gain. */
export function ratio(now: number, was: number): string {
  if (!(was > 0) || !Number.isFinite(now)) return '';
  if (now <= 0) return ' (not counted)';
  return Math.abs(now / was - 1) >= 0.005 ? ` (${now < was ? `${(was / now).toFixed(2)}× less` : `+${((now / was - 1) * 100).toFixed(0)}%`})` : '';
}

function row(name: string, m: Measures, base: Measures): string {
  const map = m.map === undefined ? '—' : `${pct(m.map)}${base.map !== undefined && m !== base ? ` (${m.map >= base.map ? '+' : ''}${(100 * (m.map - base.map)).toFixed(1)})` : ''}`;
  const lat = LATENCY_THREADS.map((t) => ms(m.latency_ms?.[t]));
  return `| ${name} | ${millions(m.params)}${ratio(m.params, base.params)} | ${giga(m.macs)}${ratio(m.macs, base.macs)} | ${mib(m.bytes)}${ratio(m.bytes, base.bytes)} | ${map} | ${pct(m.map50)} | ${lat.join(' | ')} | ${ms(m.latency_stats?.['1']?.cpu_ms)} |`;
}

/** The table alone (the CLI prints it at the end of a run). */
export function reportTable(r: Report): string {
  // CPU time per run at 1 thread: on a busy machine the steadier figure (it leaves out waiting for a core)
  const head = `| model | params | MACs | size | mAP@.5:.95 | mAP@.5 | ${LATENCY_THREADS.map((t) => `ms, ${t} thread${t > 1 ? 's' : ''}`).join(' | ')} | CPU ms, 1 thread |`;
  const rule = `|${'---|'.repeat(5 + LATENCY_THREADS.length + 2)}`;
  const rows = [row('input', r.before, r.before), ...r.steps.map((s) => row(`${s.index}. ${s.pass}`, s.measures, r.before))];
  return [head, rule, ...rows].join('\n');
}

function details(s: StepRecord): string[] {
  if (!s.details) return [];
  const out = [`### ${s.index}. ${s.pass} (${s.seconds.toFixed(0)} s)`, ''];
  for (const [k, v] of Object.entries(s.details)) {
    if (Array.isArray(v) && v.length && typeof v[0] === 'object') {
      const cols = Object.keys(v[0] as object);
      out.push(`${k}:`, '', `| ${cols.join(' | ')} |`, `|${'---|'.repeat(cols.length)}`, ...v.map((r) => `| ${cols.map((c) => fmt((r as Record<string, unknown>)[c])).join(' | ')} |`), '');
    } else out.push(`- ${k}: ${fmt(v)}`);
  }
  return [...out, ''];
}

const fmt = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? `${v}` : v.toPrecision(4)) : typeof v === 'string' ? v : JSON.stringify(v));

export function reportMarkdown(r: Report): string {
  return [
    `# lithe run: ${r.recipe ?? 'recipe'}`, '', `Model: ${r.model ?? '—'}. mAP in points on the val split (change from the input in brackets); latency is the median at batch 1 in onnxruntime on this machine.`, '',
    reportTable(r), '', ...(r.latency_method ? [methodLine(r.latency_method), ''] : []), ...latencyTable(r), ...r.steps.flatMap(details),
  ].join('\n');
}

/** How latency was measured, in a sentence (report.json's latency_method has the same). */
export function methodLine(m: LatencyMethod): string {
  return `Latency: ${m.statistic}; ${m.warmup}; ${m.runs}; ${m.gc}; intra-op spinning ${m.spinning}. Host: ${m.host.cpu} (${m.host.cores} cores), ${m.host.platform}, onnxruntime ${m.host.onnxruntime}.`;
}

/** Per model and thread count: the median with the figures that qualify it. CPU time per run counts every
 *  thread of the process: near threads × median when the cores were ours, lower when it waited for one. */
function latencyTable(r: Report): string[] {
  const rows = [['input', r.before] as const, ...r.steps.map((s) => [`${s.index}. ${s.pass}`, s.measures] as const)];
  const lines = rows.flatMap(([name, m]) => LATENCY_THREADS.flatMap((t) => {
    const st = m.latency_stats?.[t];
    return st ? [`| ${name} | ${t} | ${ms(m.latency_ms?.[t])} | ${ms(st.p90_ms)} | ${ms(st.min_ms)} | ${ms(st.cpu_ms)} | ${st.runs} after ${st.warmup} | ${st.load.map((l) => l.toFixed(1)).join(' → ')} |`] : [];
  }));
  if (!lines.length) return [];
  const note = busyNote(r);
  return ['| model | threads | median ms | p90 | fastest | CPU ms per run | runs | load average |', '|---|---|---|---|---|---|---|---|', ...lines, '', ...(note ? [note, ''] : [])];
}

/** A warning when the load average passed the core count while any figure was measured. */
export function busyNote(r: Report): string | undefined {
  const busiest = Math.max(...[r.before, ...r.steps.map((s) => s.measures)].flatMap((m) => Object.values(m.latency_stats ?? {}).flatMap((st) => st.load)));
  const cores = r.latency_method?.host.cores ?? Infinity;
  if (!(busiest > cores)) return undefined;
  return `The machine was busy while measuring (load average up to ${busiest.toFixed(1)} on ${cores} cores): wall-clock figures include time spent waiting for a core. At 1 thread the CPU time per run is the steadier figure; \`lithe bench\` on a quiet machine gives the figure to quote.`;
}
