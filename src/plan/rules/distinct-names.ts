// CMP2007: a criterion, loss or metric named twice (`l1+l1`; YAML `metrics: [map, map]`). Combining a criterion with itself means nothing, and
// one list of a hundred thousand names would cost a pruning run as many passes over the model: the list is
// a set, so its length is bounded by the number of criteria or losses. One report per list.
import type { Report, Rule } from './types.ts';
import type { StepDraft } from '../../passes/types.ts';

const LISTS: Record<string, { param: string; what: string }> = {
  distill: { param: 'losses', what: 'loss' },
  eval: { param: 'metrics', what: 'metric' },
  prune: { param: 'criterion', what: 'criterion' },
};

function firstRepeat(step: StepDraft, param: string, what: string, report: Report): void {
  const list = step.params[param];
  if (!Array.isArray(list)) return;
  const seen = new Set<unknown>();
  for (let i = 0; i < list.length; i++) {
    if (!seen.has(list[i])) { seen.add(list[i]); continue; }
    const at = step.ranges[`${param}.${i}`] ? `${param}.${i}` : param;
    const more = list.length > 2 * seen.size ? ` (${list.length} names, ${seen.size} distinct so far)` : '';
    return report({ code: 'CMP2007', message: `${what} '${String(list[i])}' is named twice${more}: each may appear once`, at });
  }
}

export const rule: Rule = {
  id: 'distinct-names',
  summary: 'The criteria of a prune step, the losses of a distill step and the metrics of an eval step are each named at most once.',
  passes: ['distill', 'eval', 'prune'],
  check(step, _ctx, report) {
    const list = LISTS[step.pass];
    if (list) firstRepeat(step, list.param, list.what, report);
  },
};
