// CMP4006: exporting for another runtime than the target's is allowed but usually a slip.
import type { Rule } from './types.ts';

export const rule: Rule = {
  id: 'export-format',
  summary: "A tensorrt or mslite export should match the target's export format (onnx is always fine).",
  passes: ['export'],
  check(step, { target }, report) {
    const f = step.params.format;
    if (!target || f === 'onnx' || f === target.export.format || typeof f !== 'string') return;
    report({ code: 'CMP4006', message: `${target.name} runs ${target.export.format} models; export ${f} is for another runtime`, at: 'format', fix: target.export.format });
  },
};
