// Preparation step 1: a model of an older opset is upgraded to the one lithe writes (onnx/upgrade/), so that
// every later step and pass sees one form of each op (Resize, never Upsample; Slice's bounds as inputs).
import { upgradeModel } from '../upgrade/index.ts';
import type { PrepareStep } from './types.ts';

export const upgrade: PrepareStep = {
  id: 'upgrade',
  summary: 'a model of an older opset rewritten to the opset lithe writes',
  run: (model, opts) => (opts.opset === undefined ? { model, notes: [] } : upgradeModel(model, opts.opset, opts.file)),
};
