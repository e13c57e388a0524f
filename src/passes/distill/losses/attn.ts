// Distillation loss `attn`: Spatial attention transfer: channel mean of squared activations, L2-normalised, matched by mean squared error.
import type { Loss } from './types.ts';

export const loss: Loss = {
  id: 'attn',
  summary: "Spatial attention transfer: channel mean of squared activations, L2-normalised, matched by mean squared error.",
};
