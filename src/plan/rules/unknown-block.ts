// CMP1005: a replacement block that does not exist.
import { blockIds } from '../../passes/replace/blocks/registry.ts';
import type { Rule } from './types.ts';
import { reportUnknown } from './unknown-word.ts';

export const rule: Rule = {
  id: 'unknown-block',
  summary: 'replace takes one of the known blocks: ' + blockIds.join(', ') + '.',
  passes: ['replace'],
  check: (step, _ctx, report) => reportUnknown(step, 'block', 'block', blockIds, 'CMP1005', report),
};
