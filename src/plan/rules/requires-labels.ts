// CMP4011: steps that train with the detection loss or measure mAP need boxes (a labelled data set, not
// `data images`) and a head lithe can decode (not `head none`). Said before any run starts; without such
// steps, a run on unlabelled images goes ahead and its report leaves mAP out.
import { passByName } from '../../passes/registry.ts';
import type { Rule, Report } from './types.ts';

export const rule: Rule = {
  id: 'requires-labels',
  summary: 'finetune, qat, eval map, until map drop, prune ... finetune and taylor need labelled data and a decodable head.',
  passes: ['distill', 'eval', 'finetune', 'prune', 'quantize'],
  check(step, ctx, report: Report) {
    // without data, CMP4001 has said it already
    if (!ctx.hasData) return;
    const seen = new Set<string>();
    for (const n of passByName.get(step.pass)?.needs?.(step.params) ?? []) {
      const lacking = n.what === 'labels' && !ctx.labelled ? `the recipe's data (${ctx.dataFormat}) has no labels: use a labelled set (data coco, yolo or voc)`
        : n.what === 'head' && ctx.headNone ? 'head none declares no head lithe can decode' : undefined;
      // one finding per reason: labels and head are often both missing for the same step
      if (!lacking || seen.has(n.why)) continue;
      seen.add(n.why);
      report({ code: 'CMP4011', message: `${n.why}, but ${lacking}`, at: n.at });
    }
  },
};
