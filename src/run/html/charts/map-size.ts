// mAP against model size after each step (and against MACs): what the recipe costs in accuracy per byte saved.
import { xyPlot } from '../svg.ts';
import { mebibytes, points, rows } from '../data.ts';
import type { Chart } from './types.ts';

export const mapSize: Chart = {
  id: 'map-size',
  title: 'mAP against size and MACs',
  about: 'Each model of the run at its file size (left) and its multiply-accumulates (right).',
  draw(r) {
    const measured = rows(r).filter((w) => w.m.map !== undefined);
    if (!measured.length) return 'This run measured no mAP (no labelled data, or a head lithe cannot decode).';
    const plot = (x: (w: (typeof measured)[0]) => number, label: string, unit: string) => xyPlot({
      series: [{ name: 'models', line: true, points: measured.map((w) => ({ x: x(w), y: points(w.m.map)!, label: w.short, step: w.step, tip: `${w.name}: ${points(w.m.map)!.toFixed(1)} mAP, ${x(w).toFixed(2)} ${unit}` })) }],
      x: { label, zero: true }, y: { label: 'mAP@.5:.95, points' },
    });
    return [
      { caption: 'against size', svg: plot((w) => mebibytes(w.m.bytes), 'ONNX file, MiB', 'MiB') },
      { caption: 'against MACs', svg: plot((w) => w.m.macs / 1e9, 'GMACs', 'GMACs') },
    ];
  },
};
