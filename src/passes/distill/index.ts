// distill from NAME with LOSS{+LOSS} {OPTION}: knowledge distillation from a teacher.
import type { PassDef } from '../types.ts';
import { putWord, putWords } from '../draft.ts';
import { losses, lossIds } from './losses/registry.ts';
import { bounded } from '../../plan/bounds.ts';
import { withImages } from '../needs.ts';

export const distill: PassDef = {
  name: 'distill',
  summary: 'Knowledge distillation from a teacher into the current model.',
  syntax: 'distill from NAME with LOSS[+LOSS] {OPTION}',
  head: [{ word: 'from' }, { role: 'from' }, { word: 'with' }, { role: 'losses', list: true, words: () => losses.map((l) => ({ name: l.id, summary: l.summary })) }],
  docs: 'Trains the current model to imitate a teacher (a declared `teacher`, or the input model as it was before '
    + 'the first step) with the chosen losses added to the detection loss: `cls` (soft class and objectness '
    + 'targets, temperature T, weighted by the teacher\'s objectness), `feat` (feature imitation through 1x1 '
    + 'adapters), `attn` (spatial attention), `reg` (teacher-bounded box regression), `corr` (channel '
    + 'correlation). The feature maps compared are each head\'s input unless `at` names others. The teacher runs '
    + 'frozen; the adapters are dropped at export. Needs `data`.',
  params: {
    type: 'object',
    properties: {
      from: { type: 'string' },
      losses: { type: 'array', minItems: 1, maxItems: lossIds.length, uniqueItems: true, items: { type: 'string', enum: lossIds } },
      epochs: bounded('epochs'),
      lr: bounded('lr'),
      temperature: bounded('temperature'),
      weights: { type: 'object', propertyNames: { enum: lossIds }, additionalProperties: bounded('weight') },
      at: { $ref: '#/definitions/selector' },
    },
    required: ['from', 'losses', 'epochs'],
    additionalProperties: false,
  },
  options: [
    { name: 'at', arg: 'selector', summary: 'The feature maps feat, attn and corr compare: the outputs of these layers (default: each head\'s input).' },
    { name: 'epochs', arg: 'int', summary: 'Training epochs.' },
    { name: 'lr', arg: 'number', summary: 'Learning rate.' },
    { name: 'temperature', arg: 'number', summary: 'Softmax temperature of the soft targets.' },
    { name: 'weight', arg: 'weight', param: 'weights', combine: 'merge', summary: 'The weight of one loss: weight feat 2.' },
  ],
  defaults: [
    { param: 'epochs', set: 'epochs' }, { param: 'epochs', value: 10 },
    { param: 'lr', set: 'lr' },
  ],
  fromHead(step, draft) {
    putWord(draft, 'from', step.head.from);
    putWords(draft, 'losses', step.head.losses);
  },
  run: async (step, ctx, model) => (await import('./run.ts')).runDistill(step, ctx, model),
  // With `data images`, the teacher's detections serve as labels: images and a decodable head, no boxes.
  needs: () => [...withImages('distill trains on images'), { what: 'head', why: 'distill decodes the teacher\'s detections' }],
  normalize(params) {
    const l = params.losses;
    return typeof l === 'string' ? { ...params, losses: l.split('+').map((s) => s.trim()) } : params;
  },
};
