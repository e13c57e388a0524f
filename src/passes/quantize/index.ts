// quantize PRECISION [ptq | qat] {OPTION}: int8 (calibrated or quantization-aware) or fp16.
import type { Params, PassDef } from '../types.ts';
import { putWord } from '../draft.ts';
import { bounded } from '../../plan/bounds.ts';
import { withImages, withLabels } from '../needs.ts';

export const PRECISIONS = ['fp16', 'int8'] as const;
export const METHODS = ['entropy', 'minmax', 'mse', 'percentile'] as const;

const PRECISION_WORDS = [
  { name: 'fp16', summary: 'Half-precision weights and compute: no calibration, no training.' },
  { name: 'int8', summary: 'Symmetric int8 with Q/DQ nodes: ptq (calibrated, the default) or qat (trained).' },
];

const int8 = (p: Params): boolean => p.precision === 'int8';
const qat = (p: Params): boolean => p.mode === 'qat';

/**
 * qat's schedule: the fine-tuning engine's (SGD with Nesterov momentum, a warm-up of a tenth of the run, cosine
 * decay to 1%), gentler and shorter. Training starts from the PTQ result, which is already close, and published
 * QAT trains briefly at a small lr (NVIDIA's YOLOv7 10 short epochs at Adam 1e-5; MQBench's YOLOX 6 epochs at
 * the float model's final lr; PaddleSlim 3000 iterations at SGD 1e-5); fine-tuning's 0.01 is for recovering
 * from pruning. lr from `npm run bench:qat` (one epoch, from the best PTQ calibration, 500 val images): on the
 * baseline and the 70%-pruned baseline, per-channel and per-tensor weights, 1e-4 ended at PTQ's level (50.15,
 * 50.11, 40.52, 40.47 against PTQ's 50.33, 50.08, 40.59, 40.60) and 1e-3 0.15-0.25 points below it (50.09, 49.83,
 * 40.44, 40.38): these converged models lose at most 0.4 points to PTQ, and a larger step moves them off their
 * optimum more than it recovers. (A 40-image case where PTQ lost 1.4 points, minmax with per-tensor weights,
 * favoured 1e-3: 51.5 against 50.8, float 51.8; raise lr where PTQ loses much.) 3 epochs, which a CPU gives
 * in minutes on small sets. learn-scales (LSQ) moved the step sizes by a median 0.6% in that small case and
 * gained nothing (50.3 and 51.0 against 51.5 and 51.6 with fixed scales): scales stay fixed unless asked.
 * With `distill` (the float model as teacher) bench:qat ended within 0.3 points of float in every row: 50.21,
 * 50.13, 40.71, 40.55 after one epoch, and the baseline's per-tensor row 50.21 after the default three (float
 * 50.46 and 40.65).
 */
export const QAT_DEFAULTS = { epochs: 3, lr: 1e-4 } as const;

export const quantize: PassDef = {
  name: 'quantize',
  summary: 'Quantize to int8 (ptq: calibrated; qat: trained with simulated quantization) or convert to fp16.',
  syntax: 'quantize PRECISION [ptq | qat] {OPTION}',
  head: [{ role: 'precision', words: () => PRECISION_WORDS }],
  docs: 'int8 uses symmetric quantization: weights per output channel, activations per tensor, with Q/DQ nodes '
    + 'placed where both onnxruntime and TensorRT accept them. `ptq` (the default) calibrates activation ranges on '
    + 'calibration images; `qat` starts from that calibration and trains the weights with the quantization simulated '
    + '(straight-through gradients; `learn-scales` trains the scales too, by LSQ; `distill` adds the losses of '
    + '`distill from teacher with cls+feat`), then writes the same Q/DQ model; it needs labelled `data`. fp16 converts weights and compute.',
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
      lr: bounded('lr'),
      learn_scales: { type: 'boolean' },
      distill: { type: 'boolean' },
      keep: { $ref: '#/definitions/selector' },
    },
    required: ['precision'],
    additionalProperties: false,
  },
  options: [
    { name: 'calib', arg: 'int', summary: 'Number of calibration images.' },
    { name: 'distill', arg: 'flag', summary: 'Distil from the recipe\'s teacher while training (qat): its class scores and head feature maps (cls+feat), as `distill from teacher with cls+feat` would.' },
    { name: 'epochs', arg: 'int', summary: 'Quantization-aware training epochs (qat).' },
    { name: 'keep', arg: 'selector', summary: 'Layers left in float.' },
    { name: 'learn-scales', arg: 'flag', summary: 'Train the quantization scales too, by LSQ (qat); by default they stay as calibrated.' },
    { name: 'lr', arg: 'number', summary: 'Learning rate of quantization-aware training (qat).' },
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
    { param: 'epochs', set: 'epochs', when: qat }, { param: 'epochs', value: QAT_DEFAULTS.epochs, when: qat },
    { param: 'lr', set: 'lr', when: qat },
  ],
  fromHead(step, draft) {
    putWord(draft, 'precision', step.head.precision);
  },
  run: async (step, ctx, model) => (await import('./run.ts')).runQuantize(step, ctx, model),
  needs: (p) => {
    if (qat(p)) return withLabels('qat trains on labelled images', 'mode');
    return int8(p) ? withImages('int8 calibrates on images', 'precision') : [];
  },
};
