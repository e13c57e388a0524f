// fuse: fold BatchNormalization into convolutions and fuse activations the target supports.
import type { PassDef } from '../types.ts';

export const fuse: PassDef = {
  name: 'fuse',
  summary: 'Fold BatchNormalization into convolutions and fuse activations the target supports.',
  syntax: 'fuse',
  head: [],
  docs: 'Rewrites Conv+BatchNormalization as one Conv with adjusted weights and bias, removes identities, and fuses '
    + 'activations where the target runtime has fused kernels. Outputs are numerically equal.',
  params: { type: 'object', properties: {}, additionalProperties: false },
  options: [],
  defaults: [],
  fromHead() {},
  run: async (step, ctx, model) => (await import('./run.ts')).runFuse(step, ctx, model),
};
