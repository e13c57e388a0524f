// prune SCOPE CRITERION AMOUNT {OPTION}: structured channel pruning.
import type { Need, Params, PassDef } from '../types.ts';
import { put, putWord, putWords } from '../draft.ts';
import { criteria, criterionById, criterionIds } from './criteria/registry.ts';
import { bounded } from '../../plan/bounds.ts';
import { withImages, withLabels } from '../needs.ts';

const fraction = { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 };

function needs(p: Params): Need[] {
  const out: Need[] = [];
  (Array.isArray(p.criterion) ? p.criterion : []).forEach((c: unknown, i) => {
    const criterion = typeof c === 'string' ? criterionById.get(c) : undefined;
    if (criterion?.needsLabels) out.push(...withLabels(`the ${c} criterion takes gradients of the detection loss on labelled images`, `criterion.${i}`));
    else if (criterion?.needsData) out.push(...withImages(`the ${c} criterion scores channels on images`, `criterion.${i}`));
  });
  if (p.progressive) out.push(...withLabels('until map drop measures mAP on labelled images', 'progressive'));
  if (p.finetune) out.push(...withLabels('finetune trains on labelled images', 'finetune'));
  return out;
}

export const prune: PassDef = {
  name: 'prune',
  summary: 'Structured channel pruning: channels are physically removed.',
  syntax: 'prune SCOPE CRITERION[+CRITERION] AMOUNT {OPTION}',
  head: [{ role: 'scope' }, { role: 'criteria', list: true, words: () => criteria.map((c) => ({ name: c.id, summary: c.summary })) }, { role: 'amount' }],
  docs: 'Removes output channels of the convolutions in SCOPE, ranked by CRITERION (several joined with + have their '
    + 'normalised scores combined). AMOUNT is the fraction removed from each prunable layer (0.7 or 70%), or a '
    + 'whole-model goal: `flops 50%` (remove half the FLOPs), `params 3x` (3 times fewer parameters), or a '
    + 'latency goal on the recipe\'s target, `latency 2x` (half the predicted latency) or `latency 12ms`: '
    + 'channels go where their removal saves the most predicted time per unit of importance, in blocks of the '
    + 'target\'s channel alignment (`round`), until the target\'s latency model predicts the goal is met '
    + '(`lithe explain` shows the prediction; YAML: `amount: {latency: 2}` or `{latency_ms: 12}`). '
    + 'A detection head\'s output convolutions are never pruned.',
  params: {
    type: 'object',
    properties: {
      scope: { type: 'string' },
      criterion: { type: 'array', minItems: 1, maxItems: criterionIds.length, uniqueItems: true, items: { type: 'string', enum: criterionIds } },
      amount: {
        oneOf: [
          fraction,
          { type: 'object', properties: { flops: fraction }, required: ['flops'], additionalProperties: false },
          { type: 'object', properties: { params: bounded('params') }, required: ['params'], additionalProperties: false },
          { type: 'object', properties: { latency: bounded('params') }, required: ['latency'], additionalProperties: false },
          { type: 'object', properties: { latency_ms: { type: 'number', exclusiveMinimum: 0 } }, required: ['latency_ms'], additionalProperties: false },
        ],
      },
      global: { type: 'boolean' },
      round: bounded('round'),
      min: bounded('min'),
      keep: { $ref: '#/definitions/selector' },
      progressive: {
        type: 'object',
        properties: { step: fraction, until_map_drop: fraction },
        required: ['step', 'until_map_drop'],
        additionalProperties: false,
      },
      finetune: {
        type: 'object', properties: { epochs: bounded('epochs'), lr: bounded('lr') }, required: ['epochs'], additionalProperties: false,
      },
    },
    required: ['scope', 'criterion', 'amount'],
    additionalProperties: false,
  },
  options: [
    { name: 'finetune', arg: 'finetune', summary: 'Fine-tune for N epochs after pruning (after each round of progressive pruning): finetune epochs N [lr X] (lr: fine-tuning\'s default 0.01).' },
    { name: 'global', arg: 'flag', summary: 'Rank channels across all layers of the scope instead of per layer.' },
    { name: 'keep', arg: 'selector', summary: 'Layers that are never pruned.' },
    { name: 'min', arg: 'int', summary: 'Keep at least N channels in every layer.' },
    { name: 'round', arg: 'int', summary: 'Keep a multiple of N channels (the target profile gives the default).' },
    { name: 'step', arg: 'progressive', param: 'progressive', summary: 'Progressive pruning: step 1/16 until map drop 0.5%, fine-tuning between steps.' },
  ],
  defaults: [{ param: 'round', target: 'round' }],
  fromHead(step, draft) {
    const { head } = step;
    putWord(draft, 'scope', head.scope);
    putWords(draft, 'criterion', head.criteria);
    if (!head.amount) return;
    const value = head.amount.value;
    if (!head.goal) return put(draft, 'amount', value, head.amount.range);
    const range = { start: head.goal.range.start, end: head.amount.range.end };
    // `latency 12ms` is a time to reach, `latency 2x` a factor: two keys, so YAML can say either
    const key = head.goal.value === 'latency' && head.amount.kind === 'millis' ? 'latency_ms' : head.goal.value;
    put(draft, 'amount', { [key]: value }, range);
    draft.ranges['amount.goal'] = head.goal.range;
  },
  needs,
  normalize(params) {
    const c = params.criterion;
    return typeof c === 'string' ? { ...params, criterion: c.split('+').map((s) => s.trim()) } : params;
  },
  run: async (step, ctx, model) => (await import('./run.ts')).runPrune(step, ctx, model),
};
