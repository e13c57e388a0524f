// Lightweight block `mbconv`: Inverted residual (MBConv): 1x1 expansion, depthwise KxK, optional squeeze-excitation, 1x1 projection.
import type { Block } from './types.ts';

export const block: Block = {
  id: 'mbconv',
  summary: "Inverted residual (MBConv): 1x1 expansion, depthwise KxK, optional squeeze-excitation, 1x1 projection.",
};
