// Channels per layer before and after each pruning step (the `layers` table a prune step records).
import { barPlot } from '../svg.ts';
import { stepName, table } from '../data.ts';
import type { Chart } from './types.ts';

export const channels: Chart = {
  id: 'channels',
  title: 'Channels per layer, before and after pruning',
  about: 'The output channels of each pruned layer group; where the after bar is much lower, the recipe cut deep.',
  draw(r) {
    const figures = r.steps.flatMap((s) => {
      const t = table(s, 'layers')?.filter((l) => typeof l.channels_before === 'number' && typeof l.channels_after === 'number');
      if (!t?.length) return [];
      return [{
        caption: stepName(s),
        svg: barPlot({
          categories: t.map((l) => String(l.layer)),
          series: [{ name: 'before', values: t.map((l) => l.channels_before as number) }, { name: 'after', values: t.map((l) => l.channels_after as number) }],
          y: { label: 'channels' },
        }),
      }];
    });
    return figures.length ? figures : 'No step of this run pruned channels layer by layer.';
  },
};
