// A recipe's preprocessing (`data ... mean [..] std [..] bgr`) applied to letterboxed images: the pipeline
// makes RGB planes in 0-1 (what lithe's own models take); a model exported by another framework may want
// B, G, R and (pixel - mean) / std instead. Applied in place, per image, after letterboxing (so the grey
// padding is normalised like any pixel, as the exporters' pipelines do). `nhwc` is not applied here: it is
// the layout of the model's input, which graph preparation handles; it is recorded with the rest.
export interface Preprocess {
  /** Per channel, in pixel units (0-255), in the order of the model's channels. */
  mean?: readonly number[];
  std?: readonly number[];
  bgr?: boolean;
  nhwc?: boolean;
}

/** What lithe's own models take: RGB, pixel / 255. */
export const DEFAULT_PREPROCESS = { mean: [0, 0, 0], std: [255, 255, 255], bgr: false, nhwc: false } as const;

/** The preprocessing fields of a recipe's data declaration (which holds its format and paths too). */
export function preprocessOf(d: Preprocess | undefined): Preprocess | undefined {
  if (!d) return undefined;
  const { mean, std, bgr, nhwc } = d;
  const p: Preprocess = { ...(mean && { mean }), ...(std && { std }), ...(bgr && { bgr }), ...(nhwc && { nhwc }) };
  return Object.keys(p).length ? p : undefined;
}

/** The metadata key exported models carry the preprocessing under (JSON). */
export const PREPROCESS_KEY = 'lithe.preprocess';

/** True when `p` feeds the model something other than lithe's default. */
export function changesInput(p: Preprocess | undefined): boolean {
  if (!p) return false;
  const same = (a: readonly number[] | undefined, b: readonly number[]) => !a || a.every((v, i) => v === b[i]);
  return !!p.bgr || !same(p.mean, DEFAULT_PREPROCESS.mean) || !same(p.std, DEFAULT_PREPROCESS.std);
}

/**
 * `input` holds `count` images as 3 planes each (CHW, RGB, 0-1, any height and width): rewrites them as the
 * model wants them. Returns `input`.
 */
export function applyPreprocess(input: Float32Array, count: number, p: Preprocess | undefined): Float32Array {
  if (!changesInput(p)) return input;
  const plane = input.length / (3 * count);
  const mean = p!.mean ?? DEFAULT_PREPROCESS.mean;
  const std = p!.std ?? DEFAULT_PREPROCESS.std;
  for (let n = 0; n < count; n++) {
    const base = n * 3 * plane;
    if (p!.bgr) {
      const red = input.slice(base, base + plane);
      input.copyWithin(base, base + 2 * plane, base + 3 * plane);
      input.set(red, base + 2 * plane);
    }
    for (let c = 0; c < 3; c++) {
      // v is pixel / 255: (255 v - mean) / std
      const a = 255 / std[c]!;
      const b = mean[c]! / std[c]!;
      const ch = input.subarray(base + c * plane, base + (c + 1) * plane);
      for (let i = 0; i < plane; i++) ch[i] = ch[i]! * a - b;
    }
  }
  return input;
}

/** The preprocessing as recorded in an exported model: every field, defaults filled in, so a user of the
 *  model knows exactly what to feed it (and how: letterboxed, grey 114 padding). */
export function preprocessRecord(p: Preprocess | undefined): Record<string, unknown> {
  return {
    mean: [...(p?.mean ?? DEFAULT_PREPROCESS.mean)], std: [...(p?.std ?? DEFAULT_PREPROCESS.std)],
    channels: p?.bgr ? 'bgr' : 'rgb', layout: p?.nhwc ? 'nhwc' : 'nchw',
    resize: 'letterbox', pad: 114, formula: 'input = (pixel - mean) / std, pixel in 0-255',
  };
}
