// SSD priors and decoding: one prior per anchor and cell of each map (scales spread linearly from minScale
// to maxScale, aspect ratios 1, r and 1/r, plus an extra 1 between this map's scale and the next), boxes
// decoded as offsets from their prior with variances 0.1 (centre) and 0.2 (size), class scores by softmax
// with class 0 as background.
import type { ModelProto } from 'onnx-buf';
import { LitheError } from '../../errors.ts';
import { readHeadMetadata } from './metadata.ts';
import type { Detection, Map4 } from './types.ts';

export interface SsdLayout { classes: number; sizes: number[]; anchors: number[]; minScale: number; maxScale: number; aspectRatios: number[][] }
const positive = { type: 'number', exclusiveMinimum: 0 };
const SSD_SCHEMA = {
  type: 'object', required: ['classes', 'sizes', 'anchors', 'minScale', 'maxScale', 'aspectRatios'],
  properties: {
    classes: { type: 'integer', minimum: 1, maximum: 100_000 },
    sizes: { type: 'array', minItems: 1, maxItems: 64, items: { type: 'integer', minimum: 1, maximum: 4096 } },
    anchors: { type: 'array', minItems: 1, items: { type: 'integer', minimum: 1, maximum: 64 } },
    minScale: positive, maxScale: positive,
    aspectRatios: { type: 'array', items: { type: 'array', items: positive } },
  },
};

/** What the schema cannot say: one anchor count per map, scales that grow. */
function ssdProblem(l: SsdLayout): string | undefined {
  if (l.anchors.length !== l.sizes.length) return `${l.sizes.length} map sizes but ${l.anchors.length} anchor counts`;
  if (l.aspectRatios.length > l.sizes.length) return `${l.aspectRatios.length} lists of aspect ratios for ${l.sizes.length} maps`;
  const most = l.anchors.findIndex((a, k) => a > 2 + 2 * (l.aspectRatios[k]?.length ?? 0));
  if (most >= 0) return `map ${most}: ${l.anchors[most]} anchors, but its aspect ratios give at most ${2 + 2 * (l.aspectRatios[most]?.length ?? 0)}`;
  if (l.minScale > l.maxScale) return `minScale ${l.minScale} is larger than maxScale ${l.maxScale}`;
  return undefined;
}

/** The model's SSD prior layout from its `lithe.ssd` metadata, checked; undefined when it has none. */
export const ssdMetadata = (model: ModelProto): SsdLayout | undefined => readHeadMetadata(model, 'lithe.ssd', SSD_SCHEMA, ssdProblem);

/** How many priors a layout gives: one per anchor and cell of each map. */
export const priorCount = (l: SsdLayout): number => l.sizes.reduce((a, f, k) => a + f * f * l.anchors[k]!, 0);

export interface Prior { cx: number; cy: number; w: number; h: number }

/** Priors in relative coordinates (0..1), in the order the predictions are laid out: map, cell, anchor. */
export function ssdPriors(l: SsdLayout): Prior[] {
  const m = l.sizes.length;
  const scale = (k: number) => (k >= m ? 1 : l.minScale + ((l.maxScale - l.minScale) * k) / Math.max(1, m - 1));
  const priors: Prior[] = [];
  l.sizes.forEach((f, k) => {
    const s = scale(k);
    const shapes: [number, number][] = [[s, s]];
    const ratios = l.aspectRatios[k] ?? [];
    for (const r of ratios) shapes.push([s * Math.sqrt(r), s / Math.sqrt(r)], [s / Math.sqrt(r), s * Math.sqrt(r)]);
    if (shapes.length < l.anchors[k]!) { const e = Math.sqrt(s * scale(k + 1)); shapes.push([e, e]); }
    const use = shapes.slice(0, l.anchors[k]);
    for (let y = 0; y < f; y++) for (let x = 0; x < f; x++) for (const [w, h] of use) priors.push({ cx: (x + 0.5) / f, cy: (y + 0.5) / f, w, h });
  });
  return priors;
}

/** How SSD outputs are read: raw offsets from priors or decoded boxes (corners or centre-size, relative or in
 *  pixels); what to apply to the scores; whether class 0 is the background. */
export interface SsdReading { decoded: boolean; corners: boolean; relative: boolean; activate: 'softmax' | 'sigmoid' | 'none'; background: boolean }

/** lithe's own SSD: raw offsets, relative priors, softmax with class 0 the background. */
const LITHE_SSD: SsdReading = { decoded: false, corners: false, relative: true, activate: 'softmax', background: true };

export function decodeSsd(boxes: Map4, scores: Map4, priors: Prior[], input: [number, number], n = 0, threshold = 0.01): Detection[] {
  return decodeSsdWith(boxes, scores, LITHE_SSD, priors, input, n, threshold);
}

/** Priors from a [P, 4] or [1, P, 4] tensor of the graph, centre form. */
export const priorsFrom = (values: ArrayLike<number>): Prior[] =>
  Array.from({ length: values.length / 4 }, (_, p) => ({ cx: values[4 * p]!, cy: values[4 * p + 1]!, w: values[4 * p + 2]!, h: values[4 * p + 3]! }));

export function decodeSsdWith(boxes: Map4, scores: Map4, r: SsdReading, priors: Prior[] | undefined, input: [number, number], n = 0, threshold = 0.01): Detection[] {
  const [, P] = boxes.dims as [number, number, number];
  const C = scores.dims[2]!;
  if (!r.decoded && P !== priors?.length) throw new LitheError(`the model predicts ${P} boxes but its layout gives ${priors?.length ?? 0} priors`);
  const [W, H] = r.relative ? input : [1, 1];
  const out: Detection[] = [];
  const bb = n * P * 4;
  const sb = n * P * C;
  const prob = new Float64Array(C);
  const first = r.background ? 1 : 0;
  for (let p = 0; p < P; p++) {
    const s = scores.data.subarray(sb + p * C, sb + (p + 1) * C);
    activate(s, prob, r.activate);
    let best = 0;
    for (let c = first; c < C; c++) best = Math.max(best, prob[c]!);
    if (best < threshold) continue;
    const [a, b, c, d] = [0, 1, 2, 3].map((k) => boxes.data[bb + p * 4 + k]!) as [number, number, number, number];
    let x1: number, y1: number, x2: number, y2: number;
    if (r.decoded && r.corners) [x1, y1, x2, y2] = [a, b, c, d];
    else {
      const pr = priors?.[p];
      const [cx, cy, w, h] = r.decoded || !pr ? [a, b, c, d] : [pr.cx + a * 0.1 * pr.w, pr.cy + b * 0.1 * pr.h, pr.w * Math.exp(c * 0.2), pr.h * Math.exp(d * 0.2)];
      [x1, y1, x2, y2] = [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
    }
    for (let k = first; k < C; k++) {
      if (prob[k]! >= threshold) out.push({ x1: x1 * W, y1: y1 * H, x2: x2 * W, y2: y2 * H, score: prob[k]!, cls: k - first });
    }
  }
  return out;
}

function activate(s: Float32Array, out: Float64Array, how: SsdReading['activate']): void {
  if (how === 'softmax') {
    let max = -Infinity;
    for (const x of s) max = Math.max(max, x);
    let sum = 0;
    for (let c = 0; c < s.length; c++) sum += (out[c] = Math.exp(s[c]! - max));
    for (let c = 0; c < s.length; c++) out[c]! /= sum;
  } else if (how === 'sigmoid') for (let c = 0; c < s.length; c++) out[c] = 1 / (1 + Math.exp(-s[c]!));
  else out.set(s);
}
