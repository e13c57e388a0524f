// CMP4007: options that only mean something for int8, or only for qat.
import type { Rule } from './types.ts';

const INT8_ONLY = ['calib', 'method', 'percentile', 'weights'];
/** Parameters of training, with the option word that sets each. */
const QAT_ONLY = [['epochs', 'epochs'], ['lr', 'lr'], ['learn_scales', 'learn-scales'], ['distill', 'distill']] as const;

export const rule: Rule = {
  id: 'mode-options',
  summary: 'fp16 takes no calibration or qat options; epochs, lr, learn-scales and distill apply to qat only; percentile needs method percentile.',
  passes: ['quantize'],
  check(step, _ctx, report) {
    const p = step.params;
    if (p.precision === 'fp16') {
      if (step.ranges.mode) report({ code: 'CMP4007', message: `fp16 is a conversion, not ${p.mode}: drop '${p.mode}'`, at: 'mode' });
      for (const k of INT8_ONLY) if (step.ranges[k]) report({ code: 'CMP4007', message: `${k} applies to int8 only`, at: k });
    }
    for (const [k, word] of QAT_ONLY) if (p.mode !== 'qat' && step.ranges[k]) report({ code: 'CMP4007', message: `${word} applies to qat only`, at: k });
  },
};
