// CMP4005: channel counts that are not multiples of the target's alignment waste the device's vector lanes.
import type { Rule } from './types.ts';

export const rule: Rule = {
  id: 'round-alignment',
  summary: "`round N` should be a multiple of the target's channel alignment.",
  passes: ['prune'],
  check(step, { target }, report) {
    const round = step.params.round;
    const align = target?.channel_alignment;
    if (!align || typeof round !== 'number' || !step.ranges.round || round % align === 0) return;
    const fix = String(Math.max(align, Math.round(round / align) * align));
    report({ code: 'CMP4005', message: `round ${round} is not a multiple of ${target!.name}'s channel alignment ${align}; use ${fix}`, at: 'round', fix, fixAt: 'round@value' });
  },
};
