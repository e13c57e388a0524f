// replace SCOPE conv with BLOCK {OPTION}: lightweight convolutions.
import type { PassDef } from '../types.ts';
import { putWord } from '../draft.ts';
import { blockIds, blocks } from './blocks/registry.ts';
import { bounded, MAX_KERNELS } from '../../plan/bounds.ts';

export const replace: PassDef = {
  name: 'replace',
  summary: 'Replace standard convolutions with lightweight blocks (dsconv, mbconv).',
  syntax: 'replace SCOPE conv with BLOCK {OPTION}',
  head: [{ role: 'scope' }, { word: 'conv' }, { word: 'with' }, { role: 'block', words: () => blocks.map((b) => ({ name: b.id, summary: b.summary })) }],
  docs: 'Swaps each KxK convolution in SCOPE for a depthwise-separable block (dsconv) or an inverted residual with '
    + 'optional squeeze-excitation (mbconv). The new layers start from a low-rank fit of the old weights and are '
    + 'normally followed by fine-tuning or distillation.',
  params: {
    type: 'object',
    properties: {
      scope: { type: 'string' },
      block: { enum: blockIds },
      kernel: { type: 'array', minItems: 1, maxItems: MAX_KERNELS, items: { type: 'integer', enum: [1, 3, 5, 7] } },
      expand: bounded('expand'),
      se: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    },
    required: ['scope', 'block'],
    additionalProperties: false,
  },
  options: [
    { name: 'expand', arg: 'number', summary: 'Expansion ratio of mbconv.' },
    { name: 'kernel', arg: 'int-list', summary: 'Depthwise kernel sizes: kernel 3 or kernel 3, 5.' },
    { name: 'se', arg: 'number', summary: 'Squeeze-excitation reduction ratio (0.25 keeps a quarter of the channels).' },
  ],
  defaults: [],
  fromHead(step, draft) {
    putWord(draft, 'scope', step.head.scope);
    putWord(draft, 'block', step.head.block);
  },
};
