// mAP against latency after each step: the trade a recipe makes, one point per model, joined in step order.
import { xyPlot, type Series } from '../svg.ts';
import { points, rows } from '../data.ts';
import { LATENCY_THREADS } from '../../measure.ts';
import type { Chart } from './types.ts';

export const mapLatency: Chart = {
  id: 'map-latency',
  title: 'mAP against latency',
  about: 'Each model of the run (the input, then each step) at its median latency; up and to the left is better.',
  draw(r) {
    const series: Series[] = LATENCY_THREADS.map((t) => ({
      name: `${t} thread${t > 1 ? 's' : ''}`, line: true,
      points: rows(r).flatMap((w) => {
        const [ms, map] = [w.m.latency_ms?.[t], points(w.m.map)];
        return ms === undefined || map === undefined ? [] : [{ x: ms, y: map, label: w.short, step: w.step, tip: `${w.name}: ${map.toFixed(1)} mAP, ${ms.toFixed(1)} ms at ${t} thread${t > 1 ? 's' : ''}` }];
      }),
    })).filter((s) => s.points.length);
    if (!series.length) return 'This run measured no mAP together with latency (no labelled data, or a head lithe cannot decode).';
    return [{ svg: xyPlot({ series, x: { label: 'median latency, ms (batch 1)', zero: true }, y: { label: 'mAP@.5:.95, points' } }) }];
  },
};
