// The Plan: what `lithe explain` shows and `lithe run` executes. Plain JSON, one step per statement, each
// with its source range; validated against plan.schema.json.
import type { Range } from '../lang/range.ts';
import type { Params } from '../passes/types.ts';
import type { SelectorJson } from './selector.ts';
// How images become the model's input, declared once on `data` and recorded in exported models
// (`lithe.preprocess`): mean and std in pixel units (0-255), in the order of the model's channels.
import type { Preprocess } from '../data/preprocess.ts';

/** A model file (its path as the recipe gave it, resolved from the recipe's folder) or a zoo architecture. */
export interface ModelRef { path?: string; zoo?: string }

export interface DataDecl extends Preprocess {
  format: string;
  path?: string;
  seed?: number;
  images?: number | string;
  val?: string;
  calib?: number;
}

/** `head KIND {OPTION}`: how the model's outputs decode (the same shape as metrics/decode's HeadSpec).
 * `anchors[i]`: the (width, height) pairs of output level i, flat, in pixels; `strides[i]` its stride. */
export interface HeadSpec {
  kind: 'yolo' | 'anchor-free' | 'ssd' | 'none';
  anchors?: number[][];
  strides?: number[];
  classes?: number;
}

/** A scope in the plan: its selector with every user scope inlined, or a built-in left to the model. */
export type ScopeDef = { selector: SelectorJson; from: string } | { inferred: true };

export interface PlanStep {
  index: number;
  pass: string;
  params: Params;
  /** Parameters the recipe did not give, and where their values came from. */
  defaults: Record<string, string>;
  range: Range;
}

export interface TargetSummary {
  name: string;
  precision: string;
  round: number;
  calib: number;
  export: string;
  opset: number;
}

export interface Plan {
  lithe: 'plan/1';
  source?: string;
  model?: ModelRef;
  teachers: Record<string, ModelRef>;
  data?: DataDecl;
  target?: TargetSummary;
  /** The network input size, height × width (LANGUAGE.md: `input N` or `input HxW`). */
  input?: [number, number];
  /** The recipe's description of the model's detection head (`head KIND ...`). */
  head?: HeadSpec;
  /** The stdlib architecture profile that defines the built-in scopes, when one applies. */
  profile?: string;
  scopes: Record<string, ScopeDef>;
  steps: PlanStep[];
}
