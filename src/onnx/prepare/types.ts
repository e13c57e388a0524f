// What a preparation step is and takes (index.ts lists the steps).
import type { ModelProto } from 'onnx-buf';
import { LitheError } from '../../errors.ts';
import type { HeadSpec } from '../../metrics/decode/head.ts';

export interface PrepareOptions {
  /** A model older than this default-domain opset is upgraded to it (lithe writes 13: make.ts DEFAULT_OPSET);
   *  newer ones are left as they are. Undefined: no upgrade. */
  opset?: number;
  /** The input size to fix a symbolic or other-sized input at, height × width (`input 384x640`, `--size`). */
  input?: readonly [number, number];
  /** A symbolic input height or width is an error unless `input` fixes it (lithe run, eval, bench); without
   *  this it is left symbolic (lithe info counts what it can). */
  requireSize?: boolean;
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

/** A model that cannot be prepared as asked (a size it cannot take, a symbolic size nobody fixed). */
export class PrepareError extends LitheError {
  override name = 'PrepareError';
}
