// Corrupt head descriptions (lithe.yolo, lithe.ssd): not JSON, the wrong shape, anchors and masks that do not
// fit, heads that name no output or disagree with the graph's channels.
import { editSsd, editYolo, setMeta } from './edit.ts';
import type { Mutant } from './types.ts';

type Head = Record<string, unknown>;
const yolo = (name: string, f: (heads: Head[]) => unknown): Mutant => ({ name: `lithe.yolo: ${name}`, base: 'yolo', mutate: (m) => editYolo(m, f) });
const head0 = (name: string, f: (h: Head) => void): Mutant => yolo(name, (hs) => { f(hs[0]!); });
const yoloText = (name: string, text: string): Mutant => ({ name: `lithe.yolo: ${name}`, base: 'yolo', mutate: (m) => setMeta(m, 'lithe.yolo', text) });
const ssd = (name: string, f: (l: Head) => unknown): Mutant => ({ name: `lithe.ssd: ${name}`, base: 'ssd', mutate: (m) => editSsd(m, f) });

export const metadataMutants: Mutant[] = [
  yoloText('not JSON', '[{"output": "head1.conv"'),
  yoloText('empty', ''),
  yoloText('a number', '42'),
  yoloText('null', 'null'),
  yolo('an object, not a list', (hs) => hs[0]),
  yolo('an empty list', () => []),
  yolo('a list of strings', () => ['head1.conv']),
  head0('anchors missing', (h) => { delete h.anchors; }),
  head0('anchors of odd length', (h) => { h.anchors = (h.anchors as number[]).slice(1); }),
  head0('negative anchors', (h) => { h.anchors = (h.anchors as number[]).map((a) => -a); }),
  head0('anchors as strings', (h) => { h.anchors = (h.anchors as number[]).map(String); }),
  head0('anchors a string', (h) => { h.anchors = '10,14,23,27'; }),
  head0('mask out of range', (h) => { h.mask = [3, 4, 6]; }),
  head0('negative mask', (h) => { h.mask = [-1, 4, 5]; }),
  head0('fractional mask', (h) => { h.mask = [3.5, 4, 5]; }),
  head0('empty mask', (h) => { h.mask = []; }),
  head0('classes 0', (h) => { h.classes = 0; }),
  head0('classes 1.5', (h) => { h.classes = 1.5; }),
  head0('classes as a string', (h) => { h.classes = '2'; }),
  head0('classes 10^12', (h) => { h.classes = 1e12; }),
  head0('output missing', (h) => { delete h.output; }),
  head0('output names no graph output', (h) => { h.output = 'l1.out'; }),
  head0('output names nothing', (h) => { h.output = 'nowhere'; }),
  head0('style unknown', (h) => { h.style = 'v9'; }),
  head0('stride 0', (h) => { h.stride = 0; }),
  yolo('heads with different classes', (hs) => { hs[1]!.classes = 3; }),
  yolo('two heads on one output', (hs) => { hs[1]!.output = hs[0]!.output; }),
  yolo('classes that do not fit the channels', (hs) => { for (const h of hs) h.classes = 20; }),
  yolo('mask of 4 anchors for 3 anchors\' channels', (hs) => { hs[0]!.mask = [2, 3, 4, 5]; }),
  { name: 'lithe.ssd: not JSON', base: 'ssd', mutate: (m) => setMeta(m, 'lithe.ssd', '{classes: 1}') },
  ssd('a list', (l) => [l]),
  ssd('sizes missing', (l) => { delete l.sizes; }),
  ssd('sizes and anchors of different lengths', (l) => { l.anchors = [2, 2]; }),
  ssd('priors that do not match the boxes', (l) => { l.sizes = [3]; }),
  ssd('classes that do not match the scores', (l) => { l.classes = 5; }),
  ssd('minScale above maxScale', (l) => { l.minScale = 0.95; l.maxScale = 0.2; }),
  ssd('negative aspect ratios', (l) => { l.aspectRatios = [[-2]]; }),
  ssd('more anchors than the ratios give', (l) => { l.anchors = [9]; }),
];
