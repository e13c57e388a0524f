// CMP4002: structural edits after quantization would need the float weights that quantization replaced.
import type { Rule } from './types.ts';

export const rule: Rule = {
  id: 'order-after-quantize',
  summary: 'prune and replace must come before quantize.',
  passes: ['prune', 'replace'],
  check(step, ctx, report) {
    const q = ctx.quantized;
    if (q) {
      report({ code: 'CMP4002', message: `${step.pass} after quantize (line ${q.range.start.line}): ${step.pass} first, then quantize`, related: [{ message: 'the quantize step', range: q.range }] });
    }
  },
};
