// Split before opset 13: the part sizes are an attribute; from 13 an input (none: equal parts, as before).
import type { UpgradeRule } from '../types.ts';
import { attributeToInput } from '../edit.ts';

export const rule: UpgradeRule = {
  id: 'Split',
  ops: ['Split'],
  summary: 'split attribute → input (opset 13)',
  upgrade: attributeToInput('split'),
};
