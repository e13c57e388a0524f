// Squeeze and Unsqueeze before opset 13: the axes are an attribute; from 13 an input.
import type { UpgradeRule } from '../types.ts';
import { attributeToInput } from '../edit.ts';

export const rule: UpgradeRule = {
  id: 'Squeeze',
  ops: ['Squeeze', 'Unsqueeze'],
  summary: 'axes attribute → input (opset 13)',
  upgrade: attributeToInput('axes'),
};
