// eval {map | latency | size}: measure the current model and record it in the report.
import type { PassDef } from '../types.ts';
import { withLabels } from '../needs.ts';

export const METRICS = ['latency', 'map', 'size'] as const;

export const evalPass: PassDef = {
  name: 'eval',
  summary: 'Measure the current model (mAP, latency, size) and record it in the report.',
  syntax: 'eval {map | latency | size}',
  head: [],
  docs: 'With no metric named, measures all the recipe\'s data allows. `map` needs labelled `data` (not `data images`) and a head lithe decodes.',
  params: {
    type: 'object',
    properties: { metrics: { type: 'array', minItems: 1, maxItems: METRICS.length, uniqueItems: true, items: { type: 'string', enum: [...METRICS] } } },
    required: ['metrics'],
    additionalProperties: false,
  },
  options: METRICS.map((m) => ({ name: m, arg: 'flag' as const, param: 'metrics', value: m, combine: 'append' as const, summary: `Measure ${m}.` })),
  // mAP needs labelled data; without it, eval measures what it can.
  defaults: [{
    param: 'metrics', why: 'all the recipe\'s data allows',
    computed: ({ hasLabels }) => METRICS.filter((m) => hasLabels || m !== 'map'),
  }],
  needs: (p) => (Array.isArray(p.metrics) && p.metrics.includes('map') ? withLabels('eval map measures mAP on labelled images', 'metrics') : []),
  fromHead() {},
  run: async (step, ctx, model) => (await import('./run.ts')).runEval(step, ctx, model),
};
