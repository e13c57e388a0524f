// Latency after each step, at each thread count: the medians of the table, with p90 and fastest in the tooltips.
import { barPlot } from '../svg.ts';
import { rows } from '../data.ts';
import { LATENCY_THREADS } from '../../measure.ts';
import type { Chart } from './types.ts';

export const latency: Chart = {
  id: 'latency',
  title: 'Latency after each step',
  about: 'The median latency at batch 1 of each model, and the CPU time a run took at 1 thread (lower than the median when the process waited for a core); how it was measured is written above.',
  draw(r) {
    const measured = rows(r).filter((w) => w.m.latency_ms);
    if (!measured.length) return 'This run measured no latency.';
    return [{
      svg: barPlot({
        categories: measured.map((w) => w.name),
        series: [
          ...LATENCY_THREADS.map((t) => ({ name: `${t} thread${t > 1 ? 's' : ''}, median ms`, values: measured.map((w) => w.m.latency_ms?.[t]) })),
          // on a busy machine the wall-clock median includes waiting for a core; CPU time per run does not
          ...(measured.some((w) => w.m.latency_stats?.['1']) ? [{ name: '1 thread, CPU ms per run', values: measured.map((w) => w.m.latency_stats?.['1']?.cpu_ms) }] : []),
        ],
        y: { label: 'ms (batch 1)' },
      }),
    }];
  },
};
