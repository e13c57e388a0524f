// A head in words, for `lithe info`, `lithe explain` and the run log ("ultralytics v5, 3 scales, 80 classes,
// decoding in the graph (31 nodes, ...)"), and the one error for a model whose head nobody described.
import type { ModelProto } from 'onnx-buf';
import { LitheError } from '../../errors.ts';
import { headFor, type Head, type HeadSpec } from './head.ts';
import { shown } from './detect/types.ts';
import { HeadView } from './detect/view.ts';

const SOURCE: Record<Head['source'], string> = { detected: 'recognised in the graph', metadata: 'recorded in the model', recipe: 'declared by the recipe' };

const plural = (n: number, what: string, many = `${what}s`) => `${n} ${n === 1 ? what : many}`;

/** The decoding nodes between the output convolutions and the outputs, named by their ends. */
function tailText(v: HeadView, outputs: string[]): string {
  const { tail } = v.walkBack(outputs);
  if (!tail.length) return 'decoding in the graph';
  const name = (i: number) => `'${tail.at(i)!.name || tail.at(i)!.opType}'`;
  return `decoding in the graph (${plural(tail.length, 'node')}: ${name(0)}${tail.length > 1 ? ` ... ${name(-1)}` : ''})`;
}

function scales(v: HeadView, convs: string[]): string {
  const strides = [...new Set(convs.map((c) => v.stride(c)).filter((s): s is number => !!s))].sort((a, b) => a - b);
  return strides.length ? `${plural(strides.length, 'scale')} (strides ${strides.join(', ')})` : plural(convs.length, 'output convolution');
}

/** One line: what the head is, its scales and classes, where it is decoded, what was assumed, who said so. */
export function headText(head: Head, model: ModelProto): string {
  if (head.kind === 'none') return `none (${SOURCE[head.source]}): no mAP; calibration, latency and size only`;
  const v = new HeadView(model);
  const classes = plural(head.classes, 'class', 'classes');
  const parts: string[] = [head.style];
  if (head.kind === 'ssd') {
    const P = v.shape(head.boxes)?.[1];
    parts.push(`${P ?? '?'} priors`, `${classes}${head.background ? ' + background' : ''}`, head.decoded ? tailText(v, [head.boxes, head.scores]) : 'decoded by lithe');
  } else if (head.decoded) {
    parts.push(scales(v, head.convs), classes, tailText(v, [head.output]));
  } else {
    parts.push(scales(v, head.maps.map((m) => m.output)), classes, 'raw maps decoded by lithe');
  }
  const assumed = head.assumed?.length ? `; assumed: ${head.assumed.join('; ')}` : '';
  return `${parts.join(', ')}${assumed} (${SOURCE[head.source]})`;
}

export class NoHeadError extends LitheError {
  override name = 'NoHeadError';
}

/** "no detection head recognised in MODEL: its outputs are ...; describe it with ...". */
export function noHeadMessage(model: ModelProto, where?: string): string {
  const v = new HeadView(model);
  const name = where ?? (model.graph?.name ? `the model '${model.graph.name}'` : 'the model');
  return `no detection head recognised in ${name}: its outputs are ${v.outputs().map(shown).join(', ')}; describe it with \`head yolo anchors [..] strides [..]\`, \`head anchor-free\`, \`head ssd\` or \`head none\``;
}

/** Why lithe cannot measure the model's mAP, or undefined when it can: no head recognised, or `head none`. For
 *  `lithe check` and the run's measures, which omit mAP (or refuse a step that needs it) saying this. */
export function mapUnavailable(model: ModelProto, declared?: HeadSpec, where?: string): string | undefined {
  const head = headFor(model, declared);
  if (!head) return noHeadMessage(model, where);
  return head.kind === 'none' ? `the head of ${where ?? 'the model'} is declared \`none\`: it has no detections to score` : undefined;
}
