// Graph preparation: what every pass can rely on, done once when lithe takes in a model for a run (and for
// `lithe info`, `eval`, `bench`): the opset lithe writes, weights as initializers, a known layout, a fixed
// input size, a batch that is not baked at 1, constants folded. Each step is a file of this folder; STEPS lists them in the order they apply
// (an order, not an alphabet: a model is upgraded before its constants are folded, and its size is fixed
// before the shape arithmetic that depends on it is folded). `lithe convert` writes models as they are unless
// asked (--opset), so that a model round-trips unchanged. A model lithe built itself comes out unchanged.
import type { ModelProto } from 'onnx-buf';
import type { PrepareOptions, PrepareStep } from './types.ts';
import { upgrade } from './upgrade.ts';
import { constants } from './constants.ts';
import { nhwc } from './nhwc.ts';
import { input } from './input.ts';
import { batch } from './batch.ts';
import { fold } from './fold.ts';
import { head } from './head.ts';

export { PrepareError, type PrepareOptions, type PrepareStep } from './types.ts';

/** In the order they apply: the upgrade first (the others read opset-13 forms), the size fixed before the
 *  shape arithmetic that depends on it is folded, and the head last (it records value names the other steps
 *  may change). */
export const STEPS: readonly PrepareStep[] = [upgrade, constants, nhwc, input, batch, fold, head];

/** Runs every step; `notes` says what changed (nothing for a model lithe built itself). */
export function prepareModel(model: ModelProto, opts: PrepareOptions = {}): { model: ModelProto; notes: string[] } {
  const notes: string[] = [];
  let m = model;
  for (const step of STEPS) {
    const r = step.run(m, opts);
    m = r.model;
    notes.push(...r.notes.map((n) => `${step.id}: ${n}`));
  }
  return { model: m, notes };
}
