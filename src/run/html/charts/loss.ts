// Training loss per epoch, one line per step that trained (fine-tuning, distillation, QAT, pruning with
// fine-tuning): the `...loss...` details those steps record.
import { xyPlot, type Series } from '../svg.ts';
import { numbers, stepName } from '../data.ts';
import type { Chart } from './types.ts';

export const loss: Chart = {
  id: 'loss',
  title: 'Training loss per epoch',
  about: 'The mean training loss of each epoch of each step that trained; losses of different steps are different objectives.',
  draw(r) {
    const series: Series[] = r.steps.flatMap((s) => Object.entries(s.details ?? {}).flatMap(([key, v]) => {
      const ys = /loss/.test(key) ? numbers(v) : undefined;
      return ys ? [{ name: `${stepName(s)}${key === 'mean_loss_per_epoch' ? '' : `, ${key}`}`, line: true, points: ys.map((y, i) => ({ x: i + 1, y, tip: `${stepName(s)}, epoch ${i + 1}: ${y}` })) }] : [];
    }));
    if (!series.length) return 'No step of this run trained.';
    return [{ svg: xyPlot({ series, x: { label: 'epoch', whole: true }, y: { label: 'mean loss' } }) }];
  },
};
