// CMP4001: steps that learn or measure from images need a `data` declaration (each pass says what it needs:
// PassDef.needs).
import { passByName } from '../../passes/registry.ts';
import type { Rule, Report } from './types.ts';

export const rule: Rule = {
  id: 'requires-data',
  summary: 'distill, finetune, int8 calibration, qat, the entropy and taylor criteria, until map drop, eval map and replace kernel auto need `data`.',
  passes: ['distill', 'eval', 'finetune', 'prune', 'quantize', 'replace'],
  check(step, ctx, report: Report) {
    if (ctx.hasData) return;
    for (const n of passByName.get(step.pass)?.needs?.(step.params) ?? []) {
      if (n.what !== 'data') continue;
      report({ code: 'CMP4001', message: `${n.why}, but the recipe declares no data (add: data images "FOLDER", data synth, or data coco "PATH")`, at: n.at });
    }
  },
};
