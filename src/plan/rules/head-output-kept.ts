// CMP4010: pruning the head never touches its output convolutions, whose channel counts are the output format.
import type { Rule } from './types.ts';

export const rule: Rule = {
  id: 'head-output-kept',
  summary: "Pruning the head prunes its inner layers only; the output convolutions keep their channels.",
  passes: ['prune'],
  check(step, _ctx, report) {
    if (step.params.scope === 'head' || step.params.scope === 'all') {
      report({ code: 'CMP4010', message: `the detection head's output convolutions keep their channels; the rest of '${step.params.scope}' is pruned`, at: 'scope' });
    }
  },
};
