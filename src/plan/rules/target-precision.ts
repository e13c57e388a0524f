// CMP4004: a precision the target runs without a fast path (int8 on TX2, which has no DP4A) gives no speed-up.
import type { Precision } from '../../targets/target.ts';
import { hasFastPrecision } from '../../targets/load.ts';
import type { Rule } from './types.ts';

export const rule: Rule = {
  id: 'target-precision',
  summary: "The precision should be one the target runs fast (the target profile's `precisions`).",
  passes: ['quantize'],
  check(step, { target }, report) {
    const p = step.params.precision as Precision;
    if (!target || !target.precisions[p] || hasFastPrecision(target, p)) return;
    const fast = (['fp16', 'int8'] as const).find((q) => hasFastPrecision(target, q));
    const hint = fast ? `; use ${fast}` : '';
    report({ code: 'CMP4004', message: `${target.name} has no fast ${p} path: ${p} will not run faster there${hint}`, at: 'precision', fix: fast });
  },
};
