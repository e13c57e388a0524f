// CMP4013: int8 asked of a device whose converter or accelerator path takes other precisions only (the
// Kirin NPU runs fp16 through MindSpore Lite): the int8 layers would run on the CPU instead.
import type { Precision } from '../../targets/target.ts';
import type { Rule } from './types.ts';

export const rule: Rule = {
  id: 'accelerator-precision',
  summary: "The precision should be one the target's accelerator path takes (the profile's `export.accelerator`).",
  passes: ['quantize'],
  check(step, { target }, report) {
    const acc = target?.export.accelerator;
    const p = step.params.precision as Precision;
    if (!acc || typeof p !== 'string' || acc.precisions.includes(p)) return;
    const fix = (['fp16', 'int8', 'fp32'] as const).find((q) => acc.precisions.includes(q));
    report({ code: 'CMP4013', message: `${target!.name}'s ${acc.name} runs ${acc.precisions.join(', ')} only: ${p} layers would run on the CPU${fix ? `; use ${fix}` : ''}`, at: 'precision', fix });
  },
};
