// finetune epochs N {OPTION}: train the current model on the data set.
import type { PassDef } from '../types.ts';
import { bounded } from '../../plan/bounds.ts';
import { withLabels } from '../needs.ts';

export const finetune: PassDef = {
  name: 'finetune',
  summary: 'Fine-tune the current model on the data set.',
  syntax: 'finetune epochs N {OPTION}',
  head: [],
  docs: 'Trains the current model with the detection loss for N epochs, recovering accuracy lost by earlier steps. Needs labelled `data` (not `data images`).',
  params: {
    type: 'object',
    properties: {
      epochs: bounded('epochs'),
      lr: bounded('lr'),
      batch: bounded('batch'),
    },
    required: ['epochs'],
    additionalProperties: false,
  },
  options: [
    { name: 'batch', arg: 'int', summary: 'Images per batch.' },
    { name: 'epochs', arg: 'int', summary: 'Training epochs.' },
    { name: 'lr', arg: 'number', summary: 'Learning rate (0.01 unless set).' },
  ],
  defaults: [{ param: 'epochs', set: 'epochs' }, { param: 'lr', set: 'lr' }, { param: 'batch', set: 'batch' }],
  fromHead() {},
  needs: () => withLabels('finetune trains on labelled images'),
  run: async (step, ctx, model) => (await import('./run.ts')).runFinetune(step, ctx, model),
};
