// Sliding windows (Conv, ConvTranspose and the pools): kernel sizes, strides and dilations of at least 1,
// pads of at least 0, one value per spatial dimension (pads: two), a kernel_shape that matches the weight,
// a group that divides the weight's channels, a known auto_pad. onnxruntime divides by a stride of 0 or
// refuses these with a message of its own; lithe's statistics would count nonsense.
import type { NodeProto } from 'onnx-buf';
import { Attrs } from '../../attrs.ts';
import type { VerifyContext, VerifyRule } from '../types.ts';
import { isDefaultDomain } from './ops.ts';

const WINDOW_OPS: ReadonlySet<string> = new Set(['AveragePool', 'Conv', 'ConvTranspose', 'LpPool', 'MaxPool']);
/** Each list attribute: the least value an element may take, and how many elements per spatial dimension. */
const LISTS: Record<string, { min: number; per: number }> = {
  kernel_shape: { min: 1, per: 1 }, strides: { min: 1, per: 1 }, dilations: { min: 1, per: 1 }, pads: { min: 0, per: 2 }, output_padding: { min: 0, per: 1 },
};
const AUTO_PAD = ['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'];
const HAS_WEIGHT: ReadonlySet<string> = new Set(['Conv', 'ConvTranspose']);

function checkNode(n: NodeProto, ctx: VerifyContext): void {
  const at = `node '${n.name}' (${n.opType})`;
  const problem = (message: string) => ctx.report({ node: n.name, message: `${at}: ${message}` });
  const a = new Attrs(n);
  const w = HAS_WEIGHT.has(n.opType) && n.input[1] ? ctx.graph.initializers.get(n.input[1])?.dims.map(Number) : undefined;
  if (w && w.length < 3) return problem(`the weight '${n.input[1]}' has ${w.length} dimensions; a convolution's has at least 3 ([M, C/group, k...])`);
  const kernel = a.ints('kernel_shape');
  const rank = w ? w.length - 2 : kernel?.length;
  for (const [name, { min, per }] of Object.entries(LISTS)) {
    const v = a.ints(name);
    if (!v) continue;
    if (v.some((x) => x < min)) problem(`${name} [${v.join(', ')}] must be ${min === 1 ? 'positive' : 'non-negative'}`);
    else if (rank !== undefined && v.length !== rank * per) problem(`${name} [${v.join(', ')}] has ${v.length} values; ${rank} spatial dimensions need ${rank * per}`);
  }
  if (w && kernel && kernel.join() !== w.slice(2).join()) problem(`kernel_shape [${kernel.join(', ')}] does not match the weight '${n.input[1]}' [${w.join(', ')}]`);
  const autoPad = a.string('auto_pad', 'NOTSET');
  if (!AUTO_PAD.includes(autoPad)) problem(`auto_pad '${autoPad}' is not one of ${AUTO_PAD.join(', ')}`);
  if (!HAS_WEIGHT.has(n.opType)) return;
  const group = a.int('group', 1);
  if (group < 1) problem(`group ${group} must be positive`);
  else if (w && w[0]! % group) problem(`group ${group} does not divide the weight's ${w[0]} ${n.opType === 'Conv' ? 'output' : 'input'} channels`);
}

export const rule: VerifyRule = {
  id: 'windows',
  summary: 'convolution and pool windows: positive kernels, strides and dilations, non-negative pads, one per dimension, group divides channels',
  stage: 'structure',
  check(ctx) {
    for (const n of ctx.nodes) if (WINDOW_OPS.has(n.opType) && isDefaultDomain(n.domain)) checkNode(n, ctx);
  },
};
