// SSD-style heads: boxes [N, P, 4] and class scores [N, P, C], with priors in the graph as a constant
// [P, 4] or [1, P, 4] (centre form, relative to the input), either read by the graph's own decoding (an Exp
// on the box path: the boxes come out decoded, as in UltraFace or torchvision exports) or left for the
// decoder (ssd.pytorch: raw offsets, the priors as a constant or a third output).
import type { NodeProto } from 'onnx-buf';
import type { SsdHead } from '../head.ts';
import { shown, type HeadDetector } from './types.ts';
import type { HeadView, Output } from './view.ts';

/** Ops that only move values: looked through when finding the node that made the boxes. */
const MOVES = new Set(['Identity', 'Reshape', 'Squeeze', 'Unsqueeze', 'Transpose', 'Flatten']);

/** The constant of priors: [P, 4] or [1, P, 4]; the one the box path reads first, else any in the graph. */
function priorsOf(v: HeadView, P: number, path: readonly NodeProto[]): { name: string; max: number } | undefined {
  const fits = (d: number[]) => (d.length === 2 && d[0] === P && d[1] === 4) || (d.length === 3 && d[0] === 1 && d[1] === P && d[2] === 4);
  const read = path.flatMap((n) => n.input.filter((i) => i && v.isConstant(i)));
  const constants = v.g.nodes.filter((n) => n.opType === 'Constant').map((n) => n.output[0]!);
  for (const name of [...read, ...v.g.outputs.map((o) => o.name), ...v.g.initializers.keys(), ...constants]) {
    const c = v.isConstant(name) ? v.constant(name) : undefined;
    if (c && fits(c.dims)) return { name, max: Math.max(...Array.from(c.values, Math.abs)) };
  }
  return undefined;
}

/** Decoded boxes are corners when the last arithmetic is Concat(centre − size/2, centre + size/2). */
function corners(v: HeadView, boxes: string): boolean {
  let n = v.g.producer(boxes);
  while (n && MOVES.has(n.opType)) n = v.g.producer(n.input[0]!);
  const parts = n?.opType === 'Concat' ? n.input.map((i) => v.g.producer(i)?.opType) : [];
  return parts.length === 2 && parts[0] === 'Sub' && parts[1] === 'Add';
}

function pair(outs: Output[]): [Output, Output] | string {
  const rank3 = outs.filter((o) => o.shape?.length === 3 && !o.name.toLowerCase().includes('prior'));
  const boxes = rank3.filter((o) => o.shape![2] === 4);
  const box = boxes.length === 1 ? boxes[0] : boxes.find((o) => /box|loc/i.test(o.name));
  const score = rank3.find((o) => o !== box && o.shape![1] === box?.shape![1] && o.shape![2]! >= 2);
  return box && score ? [box, score] : `no outputs [N, P, 4] and [N, P, C] among ${outs.map(shown).join(', ')}`;
}

export const detector: HeadDetector = {
  id: 'ssd-priors',
  summary: 'SSD with priors: boxes [N, P, 4] and scores [N, P, C], priors a [P, 4] constant, decoded in the graph or not',
  detect(v) {
    const found = pair(v.outputs());
    if (typeof found === 'string') return found;
    const [box, score] = found;
    const P = box.shape![1]!;
    const boxPath = v.walkBack([box.name]);
    const scorePath = v.walkBack([score.name]).tail;
    const decoded = boxPath.tail.some((n) => n.opType === 'Exp');
    const priors = priorsOf(v, P, boxPath.tail);
    if (!decoded && !priors) return `the boxes ${shown(box)} are not decoded in the graph and no [${P}, 4] priors were found`;
    const softmax = scorePath.some((n) => n.opType === 'Softmax');
    const sigmoid = !softmax && scorePath.some((n) => n.opType === 'Sigmoid');
    const background = !sigmoid;
    const C = score.shape![2]!;
    if (C - (background ? 1 : 0) < 1) return `${shown(score)} has no class besides the background`;
    const assumed = [
      ...(decoded && !priors ? ['boxes relative to the input (no priors found to tell)'] : []),
      ...(!decoded ? ['priors in centre form (cx, cy, w, h), variances 0.1 and 0.2'] : []),
      ...(background ? ['class 0 is the background'] : []),
    ];
    const convs = v.walkBack([box.name, score.name]).convs.map((c) => c.output[0]!);
    const head: SsdHead = {
      kind: 'ssd', decoded, source: 'detected', style: `ssd (priors ${decoded ? 'decoded in the graph' : `'${priors!.name}'`})`, classes: C - (background ? 1 : 0), convs,
      boxes: box.name, scores: score.name, ...(!decoded ? { priors: priors!.name } : {}),
      corners: decoded && corners(v, box.name), relative: !priors || priors.max <= 2, activate: softmax || sigmoid ? 'none' : 'softmax', background, assumed,
    };
    return head;
  },
};
