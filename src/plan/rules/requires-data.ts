// CMP4001: steps that learn or measure from images need a `data` declaration.
import { criterionById } from '../../passes/prune/criteria/registry.ts';
import type { Rule, Report } from './types.ts';
import type { StepDraft } from '../../passes/types.ts';

/** Why a step needs data, and the parameter to point at; empty when it does not. */
function needs(step: StepDraft): { why: string; at?: string }[] {
  const p = step.params;
  switch (step.pass) {
    case 'distill': return [{ why: 'distill trains on images' }];
    case 'finetune': return [{ why: 'finetune trains on images' }];
    case 'quantize': return p.mode === 'qat' ? [{ why: 'qat trains on images', at: 'mode' }] : [];
    case 'eval': return step.ranges.metrics && Array.isArray(p.metrics) && p.metrics.includes('map') ? [{ why: 'eval map measures on images', at: 'metrics' }] : [];
    case 'prune': {
      const out: { why: string; at?: string }[] = [];
      // Parameters are not yet schema-checked here (YAML can hold anything): look only at what is well-formed.
      (Array.isArray(p.criterion) ? p.criterion : []).forEach((c: unknown, i) => {
        if (typeof c === 'string' && criterionById.get(c)?.needsData) out.push({ why: `the ${c} criterion scores channels on images`, at: `criterion.${i}` });
      });
      if (p.progressive) out.push({ why: 'until map drop measures mAP on images', at: 'progressive' });
      if (p.finetune) out.push({ why: 'finetune trains on images', at: 'finetune' });
      return out;
    }
    default: return [];
  }
}

export const rule: Rule = {
  id: 'requires-data',
  summary: 'distill, qat, finetune, the entropy and taylor criteria, until map drop and eval map need `data`.',
  passes: ['distill', 'eval', 'finetune', 'prune', 'quantize'],
  check(step, ctx, report: Report) {
    if (ctx.hasData) return;
    for (const n of needs(step)) {
      report({ code: 'CMP4001', message: `${n.why}, but the recipe declares no data (add: data synth, or data coco "PATH")`, at: n.at });
    }
  },
};
