// The range of every number a recipe gives, in one table: the passes' parameter schemas, the plan's
// declarations (`data`, `input`) and `set` all draw on it, and grammar/diagnostics.md lists it ("Limits").
// The upper bounds are far past what any real recipe asks for (a thousand epochs is already months of
// training), but they keep every run bounded: `finetune epochs 1e26` or `round 1e308` is a CMP2003 at
// `lithe check`, not a run that never ends or prunes nothing. Every bound is a safe integer, so an integer
// that passes is exact, and every number that passes is finite.
import type { JsonSchema } from '../passes/types.ts';

export interface Bound {
  /** Whole numbers only. */
  integer: boolean;
  min: number;
  /** `min` itself is not allowed (a learning rate above 0). */
  exclusiveMin?: boolean;
  max: number;
  /** What it is, for the documentation. */
  what: string;
}

const int = (min: number, max: number, what: string): Bound => ({ integer: true, min, max, what });
const above = (min: number, max: number, what: string): Bound => ({ integer: false, min, exclusiveMin: true, max, what });

export const BOUNDS = {
  anchor: above(0, 8192, 'anchor width or height, pixels (head yolo anchors)'),
  batch: int(1, 4096, 'images per training batch'),
  calib: int(1, 100_000, 'calibration images'),
  classes: int(1, 100_000, 'classes a head detects (head ... classes N)'),
  epochs: int(1, 10_000, 'training epochs (prune ... finetune epochs, finetune, distill, quantize qat, set)'),
  expand: { integer: false, min: 1, max: 32, what: 'mbconv expansion ratio' } as Bound,
  images: int(1, 100_000, 'images of the synthetic benchmark (data synth images N)'),
  imgsz: int(1, 8192, 'image size, pixels (set imgsz; input N or WxH)'),
  lr: above(0, 10, 'learning rate'),
  mean: { integer: false, min: 0, max: 255, what: 'channel mean, pixel units (data ... mean [R, G, B])' } as Bound,
  min: int(1, 65_536, 'channels kept per layer (prune ... min N)'),
  params: { integer: false, min: 1, max: 1000, what: 'reduction factor of prune ... params Nx' } as Bound,
  round: int(1, 1024, 'channel multiple (prune ... round N)'),
  seed: int(0, 0xffff_ffff, 'random seed (data synth seed N, set seed)'),
  std: above(0, 65_535, 'channel divisor, pixel units (data ... std [R, G, B])'),
  stride: int(1, 4096, 'output stride, pixels (head ... strides N, N)'),
  temperature: above(0, 100, 'distillation temperature'),
  weight: { integer: false, min: 0, max: 1000, what: 'weight of a distillation loss' } as Bound,
  workers: int(1, 256, 'data-loading threads (set workers)'),
} as const satisfies Record<string, Bound>;

export type BoundName = keyof typeof BOUNDS;

/** Kernel sizes listed in one `replace ... kernel N, N, ...` (one per matched layer at most). */
export const MAX_KERNELS = 1024;

/** The JSON Schema of a bounded number. */
export function bounded(name: BoundName): JsonSchema {
  const b: Bound = BOUNDS[name];
  return {
    type: b.integer ? 'integer' : 'number',
    ...(b.exclusiveMin ? { exclusiveMinimum: b.min } : { minimum: b.min }),
    maximum: b.max,
  };
}

/** `what must be at most MAX; found V` when `v` is above `name`'s range (or not finite), else undefined. */
export function tooHigh(name: BoundName, v: number, what: string = name): string | undefined {
  const b: Bound = BOUNDS[name];
  return v > b.max || !Number.isFinite(v) ? `${what} must be at most ${b.max}; found ${v}` : undefined;
}

/** `v` is below `name`'s range. */
export const tooLow = (name: BoundName, v: number): boolean => {
  const b: Bound = BOUNDS[name];
  return b.exclusiveMin ? v <= b.min : v < b.min;
};

/** `from 1 to 10000`, `above 0, at most 10`: for the documentation. */
export function rangeText(b: Bound): string {
  return b.exclusiveMin ? `above ${b.min}, at most ${b.max}` : `${b.min} to ${b.max}`;
}

/** A path: not empty, no longer than Linux allows, and no control character (a NUL cannot be in a file name). */
export const PATH_SCHEMA: JsonSchema = { type: 'string', minLength: 1, maxLength: 4096, pattern: '^[^\\u0000-\\u001f\\u007f]*$' };
