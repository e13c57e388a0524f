// Progressive pruning: mAP after each round against the share of channels removed, and each layer's
// sensitivity (mAP lost when that layer alone loses one round's share), from the step's `rounds` and
// `sensitivity` tables.
import { barPlot, xyPlot } from '../svg.ts';
import { stepName, table } from '../data.ts';
import type { Chart, Figure } from './types.ts';

export const progressive: Chart = {
  id: 'progressive',
  title: 'Progressive pruning: rounds and sensitivity',
  about: 'mAP after each round of pruning and fine-tuning, and how many points each layer costs when pruned alone by one round.',
  draw(r) {
    const figures = r.steps.flatMap((s): Figure[] => {
      const rounds = table(s, 'rounds')?.filter((w) => typeof w.removed === 'number' && typeof w.map === 'number');
      const sens = table(s, 'sensitivity')?.filter((w) => typeof w.map_drop_points === 'number');
      const out: Figure[] = [];
      if (rounds?.length) {
        out.push({
          caption: `${stepName(s)}: mAP per round`,
          svg: xyPlot({
            series: [{ name: 'rounds', line: true, points: rounds.map((w) => ({ x: 100 * (w.removed as number), y: w.map as number, label: `${w.round}`, tip: `round ${w.round}: ${(100 * (w.removed as number)).toFixed(1)}% removed, ${w.map} mAP` })) }],
            x: { label: 'channels removed, %', zero: true }, y: { label: 'mAP@.5:.95, points' },
          }),
        });
      }
      if (sens?.length) {
        out.push({
          caption: `${stepName(s)}: sensitivity per layer`,
          svg: barPlot({ categories: sens.map((w) => String(w.layer)), series: [{ name: 'mAP drop, points', values: sens.map((w) => w.map_drop_points as number) }], y: { label: 'mAP drop, points' } }),
        });
      }
      return out;
    });
    return figures.length ? figures : 'No step of this run pruned progressively (`prune ... progressive`).';
  },
};
