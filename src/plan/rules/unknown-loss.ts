// CMP1003: a distillation loss that does not exist.
import { lossIds } from '../../passes/distill/losses/registry.ts';
import type { Rule } from './types.ts';
import { reportUnknown } from './unknown-word.ts';

export const rule: Rule = {
  id: 'unknown-loss',
  summary: 'Distillation losses must be known: ' + lossIds.join(', ') + '.',
  passes: ['distill'],
  check: (step, _ctx, report) => {
    reportUnknown(step, 'losses', 'loss', lossIds, 'CMP1003', report);
    const weights = step.params.weights as Record<string, number> | undefined;
    for (const name of Object.keys(weights ?? {})) {
      if (!lossIds.includes(name)) report({ code: 'CMP1003', message: `weight names unknown loss '${name}'`, at: 'weights' });
      else if (!(step.params.losses as string[] | undefined)?.includes(name)) {
        report({ code: 'CMP1008', message: `weight ${name} is given but '${name}' is not one of this step's losses`, at: 'weights' });
      }
    }
  },
};
