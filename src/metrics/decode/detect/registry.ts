// The head detectors, sorted by id. Their patterns exclude each other (one rows output; raw maps out of
// single convolutions; Concats of box and class maps; a box and a score output); should two ever match,
// the first in this list wins.
import type { ModelProto } from 'onnx-buf';
import type { Head } from '../head.ts';
import type { HeadDetector } from './types.ts';
import { HeadView } from './view.ts';
import { detector as anchorFree } from './anchor-free.ts';
import { detector as darknetYolo } from './darknet-yolo.ts';
import { detector as ssdPriors } from './ssd-priors.ts';
import { detector as ultralytics } from './ultralytics.ts';

export const DETECTORS: readonly HeadDetector[] = [anchorFree, darknetYolo, ssdPriors, ultralytics];

export interface Detection { head?: Head; view: HeadView; reasons: Record<string, string> }

/** The first detector whose pattern the graph has, and why each of the others did not match. */
export function detectHead(model: ModelProto, view = new HeadView(model)): Detection {
  const reasons: Record<string, string> = {};
  for (const d of DETECTORS) {
    const r = d.detect(view);
    if (typeof r !== 'string') return { head: r, view, reasons };
    reasons[d.id] = r;
  }
  return { view, reasons };
}
