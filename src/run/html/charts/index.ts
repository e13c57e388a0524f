// The charts of report.html, in the order the page shows them (a reader's order: the trade first, then the
// pruning, the training, the latency figures), not sorted by id.
import type { Chart } from './types.ts';
import { mapLatency } from './map-latency.ts';
import { mapSize } from './map-size.ts';
import { channels } from './channels.ts';
import { progressive } from './progressive.ts';
import { loss } from './loss.ts';
import { latency } from './latency.ts';
import { predicted } from './predicted.ts';

export const CHARTS: readonly Chart[] = [mapLatency, mapSize, channels, progressive, loss, latency, predicted];
export type { Chart, Figure } from './types.ts';
