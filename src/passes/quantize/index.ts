// quantize PRECISION [ptq | qat] {OPTION}: int8 (calibrated or quantization-aware) or fp16.
import type { Params, PassDef } from '../types.ts';
import { putWord } from '../draft.ts';
import { bounded } from '../../plan/bounds.ts';
import { withImages, withLabels } from '../needs.ts';

export const PRECISIONS = ['fp16', 'int8'] as const;
export const METHODS = ['entropy', 'minmax', 'mse', 'percentile'] as const;

const int8 = (p: Params): boolean => p.precision === 'int8';

export const quantize: PassDef = {
  name: 'quantize',
  summary: 'Quantize to int8 (ptq: calibrated; qat: trained with simulated quantization) or convert to fp16.',
  syntax: 'quantize PRECISION [ptq | qat] {OPTION}',
  docs: 'int8 uses symmetric quantization: weights per output channel, activations per tensor, with Q/DQ nodes '
    + 'placed where both onnxruntime and TensorRT accept them. `ptq` (the default) calibrates activation ranges on '
    + 'calibration images; `qat` fine-tunes with simulated quantization and needs `data`. fp16 converts weights and compute.',
  params: {
    type: 'object',
    properties: {
      precision: { enum: [...PRECISIONS] },
      mode: { enum: ['ptq', 'qat'] },
      calib: bounded('calib'),
      method: { enum: [...METHODS] },
      percentile: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
      weights: { enum: ['per-channel', 'per-tensor'] },
      epochs: bounded('epochs'),
      keep: { $ref: '#/definitions/selector' },
    },
    required: ['precision'],
    additionalProperties: false,
  },
  options: [
    { name: 'calib', arg: 'int', summary: 'Number of calibration images.' },
    { name: 'epochs', arg: 'int', summary: 'Quantization-aware training epochs (qat).' },
    { name: 'keep', arg: 'selector', summary: 'Layers left in float.' },
    { name: 'method', arg: { enum: METHODS, number: ['percentile'], numberParam: 'percentile' }, summary: 'Calibration: minmax, percentile [X], entropy or mse.' },
    { name: 'per-channel', arg: 'flag', param: 'weights', value: 'per-channel', summary: 'One weight scale per output channel (the default).' },
    { name: 'per-tensor', arg: 'flag', param: 'weights', value: 'per-tensor', summary: 'One weight scale per tensor.' },
    { name: 'ptq', arg: 'flag', param: 'mode', value: 'ptq', summary: 'Post-training quantization with calibration (the default).' },
    { name: 'qat', arg: 'flag', param: 'mode', value: 'qat', summary: 'Quantization-aware training.' },
  ],
  // fp16 is a conversion: no mode, no calibration, no training.
  defaults: [
    { param: 'mode', value: 'ptq', when: int8 },
    { param: 'calib', set: 'calib', when: int8 }, { param: 'calib', data: 'calib', when: int8 }, { param: 'calib', target: 'calib', when: int8 },
    { param: 'epochs', set: 'epochs', when: (p) => p.mode === 'qat' },
  ],
  fromHead(step, draft) {
    putWord(draft, 'precision', step.head.precision);
  },
  run: async (step, ctx, model) => (await import('./run.ts')).runQuantize(step, ctx, model),
  needs: (p) => {
    if (p.mode === 'qat') return withLabels('qat trains on labelled images', 'mode');
    return int8(p) ? withImages('int8 calibrates on images', 'precision') : [];
  },
  cannotRun: (p) => (p.mode === 'qat' ? 'quantization-aware training (qat) is not implemented yet; `quantize int8 ptq` calibrates instead' : undefined),
};
