// ReduceSum before opset 13: the axes are an attribute; from 13 an input (no axes: every axis, as before).
// The other reductions keep the attribute until opset 18, past what lithe writes.
import type { UpgradeRule } from '../types.ts';
import { attributeToInput } from '../edit.ts';

export const rule: UpgradeRule = {
  id: 'ReduceSum',
  ops: ['ReduceSum'],
  summary: 'axes attribute → input (opset 13)',
  upgrade: attributeToInput('axes'),
};
