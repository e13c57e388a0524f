// Lightweight block `dsconv`: Depthwise-separable convolution: a depthwise KxK conv then a pointwise 1x1 conv, each with BN and activation.
import type { Block } from './types.ts';

export const block: Block = {
  id: 'dsconv',
  summary: "Depthwise-separable convolution: a depthwise KxK conv then a pointwise 1x1 conv, each with BN and activation.",
};
