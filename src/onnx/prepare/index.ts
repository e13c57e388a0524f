// Graph preparation: what every pass can rely on, done once when lithe takes in a model for a run (and for
// `lithe info`): the opset lithe writes, weights as initializers, constants folded, a fixed input size, a
// known layout. Each step is a file of this folder; STEPS lists them in the order they apply (an order, not
// an alphabet: a model is upgraded before its constants are folded). `lithe convert` writes models as they
// are unless asked (--opset), so that a model round-trips unchanged.
import type { ModelProto } from 'onnx-buf';
import type { HeadSpec } from '../../metrics/decode/head.ts';
import { step as head } from './head.ts';
import { step as upgrade } from './upgrade.ts';

export interface PrepareOptions {
  /** A model older than this default-domain opset is upgraded to it (lithe writes 13: make.ts DEFAULT_OPSET);
   *  newer ones are left as they are. Undefined: no upgrade. */
  opset?: number;
  /** The input size to fix a symbolic or other-sized input at, height × width (`input 384x640`, `--size`). */
  input?: readonly [number, number];
  /** Where the model came from, for messages. */
  file?: string;
  /** The recipe's `head` (plan.head): recorded as the model's head instead of what detection finds. */
  head?: HeadSpec;
}

export interface PrepareStep {
  id: string;
  summary: string;
  /** Returns the prepared model (the input is not modified) and one line per change made, for the log. */
  run(model: ModelProto, opts: PrepareOptions): { model: ModelProto; notes: string[] };
}

/** In the order they apply: the upgrade first (later steps read opset-13 forms), the head last (it records
 *  value names the other steps may change). */
export const STEPS: readonly PrepareStep[] = [upgrade, head];

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
