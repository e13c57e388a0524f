// CMP4003: a model is quantized once; a second quantize would quantize already-quantized weights.
import type { Rule } from './types.ts';

export const rule: Rule = {
  id: 'quantize-twice',
  summary: 'A recipe quantizes at most once.',
  passes: ['quantize'],
  check(step, ctx, report) {
    const q = ctx.quantized;
    if (q) report({ code: 'CMP4003', message: `the model is already quantized (line ${q.range.start.line}); quantize once`, related: [{ message: 'the first quantize step', range: q.range }] });
  },
};
