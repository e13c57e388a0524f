// SSD-style detectors with their priors in the graph, two ways exporters leave them:
//  - `decoded` (UltraFace, torchvision-style exports): the graph decodes the boxes itself: centres
//    loc·0.1·prior size + prior centre, sizes exp(loc·0.2)·prior size, then corners (centre ∓ size/2),
//    relative to the input; scores through a softmax. PyTorch folds `priors[..., :2]` and `priors[..., 2:]`
//    into two [1, P, 2] constants. Outputs `scores` [N, P, C] and `boxes` [N, P, 4].
//  - raw (ssd.pytorch without its Detect layer): `loc` [N, P, 4] offsets and `conf` [N, P, C] logits, with
//    the [P, 4] priors (centre form, relative) as a third output.
// Class 0 is the background. Two prediction maps (strides 8 and 16), A priors per cell.
import type { ModelProto } from 'onnx-buf';
import { tensor } from '../../../../src/onnx/make.ts';
import { body, Exporter, type ExportOptions } from './export.ts';

export const SSD_ANCHORS = 2;

/** Priors (cx, cy, w, h) relative to the input, map by map, cell by cell, anchor by anchor. */
export function ssdPriorValues(size: number, strides: number[], A = SSD_ANCHORS): Float32Array {
  const out: number[] = [];
  strides.forEach((s, k) => {
    const f = size / s;
    for (let y = 0; y < f; y++) for (let x = 0; x < f; x++) for (let a = 0; a < A; a++) {
      const side = (0.2 + 0.3 * k) * (a ? 1.5 : 1);
      out.push((x + 0.5) / f, (y + 0.5) / f, side, side * (a ? 0.5 : 1));
    }
  });
  return Float32Array.from(out);
}

export function ssdWithPriors(o: ExportOptions & { classes?: number; decoded?: boolean } = {}): ModelProto {
  const e = new Exporter(o);
  const C = (o.classes ?? 1) + 1;
  const A = SSD_ANCHORS;
  const strides = [8, 16];
  const { maps, channels } = body(e);
  const rows = (what: 'loc' | 'conf', per: number) => maps.slice(0, 2).map((x, i) => {
    const y = e.conv(x, channels[i]!, A * per, `${what}.${i}`, { act: 'none', k: 3, gain: 0.3 });
    const nhwc = e.op1('Transpose', [y], { perm: [0, 2, 3, 1] }, `/${what}.${i}`);
    return e.op1('Reshape', [nhwc, e.ints([e.n, -1, per], `/${what}.${i}`)], {}, `/${what}.${i}`);
  });
  const loc = e.op1('Concat', rows('loc', 4), { axis: 1 });
  const conf = e.op1('Concat', rows('conf', C), { axis: 1 });
  const priors = ssdPriorValues(e.size, strides);
  const P = priors.length / 4;
  if (!o.decoded) {
    e.inits.push(tensor('priors', [P, 4], priors));
    return e.build([{ name: e.output(loc, 'loc'), dims: [1, P, 4] }, { name: e.output(conf, 'conf'), dims: [1, P, C] }, { name: 'priors', dims: [P, 4] }]);
  }
  const centres = e.constant(Array.from({ length: P }, (_, p) => [priors[4 * p]!, priors[4 * p + 1]!]).flat(), [1, P, 2]);
  const sides = e.constant(Array.from({ length: P }, (_, p) => [priors[4 * p + 2]!, priors[4 * p + 3]!]).flat(), [1, P, 2]);
  const part = (from: number) => e.op1('Slice', [loc, e.ints([from]), e.ints([from + 2]), e.ints([2])]);
  const cxy = e.op1('Add', [e.op1('Mul', [e.op1('Mul', [part(0), e.constant([0.1], [])]), sides]), centres]);
  const wh = e.op1('Mul', [e.op1('Exp', [e.op1('Mul', [part(2), e.constant([0.2], [])])]), sides]);
  const half = e.op1('Div', [wh, e.constant([2], [])]);
  const boxes = e.op1('Concat', [e.op1('Sub', [cxy, half]), e.op1('Add', [cxy, half])], { axis: 2 });
  const scores = e.op1('Softmax', [conf], { axis: 2 });
  return e.build([{ name: e.output(scores, 'scores'), dims: [1, P, C] }, { name: e.output(boxes, 'boxes'), dims: [1, P, 4] }]);
}
