// CMP1012: an export format that does not exist.
import { FORMATS } from '../../passes/export/index.ts';
import type { Rule } from './types.ts';
import { reportUnknown } from './unknown-word.ts';

export const rule: Rule = {
  id: 'unknown-format',
  summary: 'export takes onnx, tensorrt or mslite.',
  passes: ['export'],
  check: (step, _ctx, report) => reportUnknown(step, 'format', 'export format', FORMATS, 'CMP1012', report),
};
