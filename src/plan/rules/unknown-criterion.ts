// CMP1002: a pruning criterion that does not exist.
import { criterionIds } from '../../passes/prune/criteria/registry.ts';
import type { Rule } from './types.ts';
import { reportUnknown } from './unknown-word.ts';

export const rule: Rule = {
  id: 'unknown-criterion',
  summary: 'Pruning criteria must be known: ' + criterionIds.join(', ') + '.',
  passes: ['prune'],
  check: (step, _ctx, report) => reportUnknown(step, 'criterion', 'criterion', criterionIds, 'CMP1002', report),
};
