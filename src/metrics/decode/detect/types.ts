// A head detector: one graph pattern of a common exporter, recognised from the outputs back to the output
// convolutions. Metadata first (id, summary: what `lithe explain` and the docs say), then the match.
import type { Head } from '../head.ts';
import type { HeadView } from './view.ts';

export interface HeadDetector {
  id: string;
  summary: string;
  /** The head when the graph has this pattern; otherwise why not, as a short phrase. */
  detect(view: HeadView): Head | string;
}

/** "'out' [1, 84, 8400]": an output as messages show it. */
export const shown = (o: { name: string; shape?: readonly number[] }): string => `'${o.name}' ${o.shape ? `[${o.shape.join(', ')}]` : '(shape unknown)'}`;
