// From a head description to a decoder over one onnxruntime result: which outputs to read and how, as a
// table keyed by the head's kind and whether the graph decodes it already.
import type { ModelProto } from 'onnx-buf';
import { LitheError } from '../../errors.ts';
import { decodeAnchorFreeMap } from './anchor-free.ts';
import { HeadView } from './detect/view.ts';
import type { Head } from './head.ts';
import { decodeRows } from './rows.ts';
import { decodeSsdWith, priorsFrom, ssdPriors, type Prior } from './ssd.ts';
import type { Detection, Map4 } from './types.ts';
import { decodeYolo } from './yolo.ts';

/** Detections of batch item `n` in input pixels; `input` is width × height. */
export type Decoder = (out: Readonly<Record<string, unknown>>, n: number, input: [number, number]) => Detection[];

const map = (out: Readonly<Record<string, unknown>>, name: string): Map4 => {
  const m = out[name] as Map4 | undefined;
  if (!m) throw new LitheError(`the head reads output '${name}', which the model does not have`);
  return m;
};

function ssdPriorsOf(head: Extract<Head, { kind: 'ssd' }>, model: ModelProto): Prior[] | undefined {
  if (head.decoded) return undefined;
  if (head.layout) return ssdPriors(head.layout);
  const c = new HeadView(model).constant(head.priors!);
  if (!c) throw new LitheError(`the SSD head's priors '${head.priors}' are not a constant of the model any more`);
  return priorsFrom(c.values);
}

export function decoderFor(head: Head, model: ModelProto): Decoder {
  switch (head.kind) {
    case 'none': throw new LitheError('the model\'s head is `none`: it has no detections to score');
    case 'ssd': {
      const priors = ssdPriorsOf(head, model);
      return (out, n, input) => decodeSsdWith(map(out, head.boxes), map(out, head.scores), head, priors, input, n);
    }
    default:
      if (head.decoded) return (out, n) => decodeRows(map(out, head.output), head, n);
      if (head.kind === 'yolo') return (out, n, input) => head.maps.flatMap((m) => decodeYolo(map(out, m.output), m, input, n));
      return (out, n) => head.maps.flatMap((m) => decodeAnchorFreeMap(map(out, m.output), { ...head, stride: m.stride }, n));
  }
}
