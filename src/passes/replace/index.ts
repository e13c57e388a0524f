// replace SCOPE conv with BLOCK {OPTION}: lightweight convolutions.
import type { PassDef } from '../types.ts';
import { putWord } from '../draft.ts';
import { blockIds, blocks } from './blocks/registry.ts';
import { bounded, MAX_KERNELS } from '../../plan/bounds.ts';
import { ACTS } from './act-kinds.ts';

export const replace: PassDef = {
  name: 'replace',
  summary: 'Replace standard convolutions with lightweight blocks (dsconv, mbconv).',
  syntax: 'replace SCOPE conv with BLOCK {OPTION}',
  head: [{ role: 'scope' }, { word: 'conv' }, { word: 'with' }, { role: 'block', words: () => blocks.map((b) => ({ name: b.id, summary: b.summary })) }],
  docs: 'Swaps each KxK convolution in SCOPE (with its BN and activation) for a depthwise-separable block (dsconv) or an '
    + 'inverted residual with optional squeeze-excitation (mbconv), with the same input and output channels and stride. '
    + 'Each block starts from a per-input-channel low-rank factorisation of the old kernel, then is fitted to the old '
    + 'layer\'s output on calibration images (fit N steps). 1x1, grouped and head output convolutions are kept and listed.',
  params: {
    type: 'object',
    properties: {
      scope: { type: 'string' },
      block: { enum: blockIds },
      kernel: { oneOf: [{ type: 'array', minItems: 1, maxItems: MAX_KERNELS, items: { type: 'integer', enum: [1, 3, 5, 7] } }, { const: 'auto' }] },
      fit: { type: 'integer', minimum: 0, maximum: 100000 },
      expand: bounded('expand'),
      se: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
      act: { enum: [...ACTS] },
    },
    required: ['scope', 'block'],
    additionalProperties: false,
  },
  options: [
    { name: 'act', arg: { enum: ACTS }, summary: 'Activation inside the blocks (default: the replaced layer\'s).' },
    { name: 'expand', arg: 'number', summary: 'Expansion ratio of mbconv (a whole number; default 4).' },
    { name: 'fit', arg: 'int', summary: 'Steps of block-wise fitting to the old layer\'s output per block (default 200; 0: factorised start only).' },
    { name: 'kernel', arg: 'kernels', summary: 'Depthwise kernel sizes: kernel 3 (all), kernel 3, 5, 3 (one per layer), or kernel auto (3 or 5 per layer by fitted error and MACs).' },
    { name: 'se', arg: 'number', summary: 'Squeeze-excitation reduction ratio (0.25 keeps a quarter of the channels).' },
  ],
  defaults: [],
  fromHead(step, draft) {
    putWord(draft, 'scope', step.head.scope);
    putWord(draft, 'block', step.head.block);
  },
  needs: (p) => (p.kernel === 'auto' ? [{ what: 'data', why: 'kernel auto fits each block with both kernel sizes on calibration images', at: 'kernel' }] : []),
  cannotRun: (p) => (typeof p.expand === 'number' && !Number.isInteger(p.expand) ? `expand ${p.expand}: this version expands by whole numbers only` : undefined),
  run: async (step, ctx, model) => (await import('./run.ts')).runReplace(step, ctx, model),
};
