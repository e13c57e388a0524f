// CMP1004: a precision lithe cannot quantize to.
import { PRECISIONS } from '../../passes/quantize/index.ts';
import type { Rule } from './types.ts';
import { reportUnknown } from './unknown-word.ts';

export const rule: Rule = {
  id: 'unknown-precision',
  summary: 'quantize takes int8 or fp16.',
  passes: ['quantize'],
  check: (step, _ctx, report) => reportUnknown(step, 'precision', 'precision', PRECISIONS, 'CMP1004', report),
};
