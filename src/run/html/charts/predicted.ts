// Predicted against measured latency: each model where a target's latency model recorded a prediction, at
// the latency measured here at 1 thread, with the y = x diagonal (on it, the prediction was exact).
import { xyPlot, type Series } from '../svg.ts';
import { rows } from '../data.ts';
import type { Chart } from './types.ts';

export const predicted: Chart = {
  id: 'predicted',
  title: 'Predicted against measured latency',
  about: 'What the target\'s latency model predicted before the run, against what this machine measured at 1 thread.',
  draw(r) {
    const targets = [...new Set(rows(r).flatMap((w) => Object.keys(w.m.predicted_latency_ms ?? {})))];
    const series: Series[] = targets.map((t) => ({
      name: `target ${t}`,
      points: rows(r).flatMap((w) => {
        const [p, m] = [w.m.predicted_latency_ms?.[t], w.m.latency_ms?.['1']];
        return p === undefined || m === undefined ? [] : [{ x: m, y: p, label: w.short, step: w.step, tip: `${w.name}: predicted ${p.toFixed(1)} ms on ${t}, measured ${m.toFixed(1)} ms (${(100 * (p / m - 1)).toFixed(0)}%)` }];
      }),
    })).filter((s) => s.points.length);
    if (!series.length) return 'This run recorded no predicted latencies (`predicted_latency_ms` in a step\'s measures), so there is nothing to compare with the measured ones.';
    return [{ svg: xyPlot({ series, diagonal: true, x: { label: 'measured, ms (1 thread)', zero: true }, y: { label: 'predicted, ms', zero: true } }) }];
  },
};
