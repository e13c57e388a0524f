// Conv and ConvTranspose. A plain (group 1) convolution reads its input's channels through its weight's
// input axis and makes a new group of its output filters. A depthwise one (one filter per channel) makes no
// group: its filters follow the input's channels through, and its `group` attribute counts them. Other
// grouped convolutions are not followed.
import type { NodeProto } from 'onnx-buf';
import { Attrs } from '../../../../onnx/attrs.ts';
import type { OpRule, Tracer } from '../tracer.ts';

/** Weight axes: [output, input] channels. */
const AXES = { Conv: [0, 1], ConvTranspose: [1, 0] } as const;

function conv(node: NodeProto, t: Tracer): void {
  const [outAxis, inAxis] = AXES[node.opType as keyof typeof AXES];
  const [x, w, b] = node.input;
  const input = t.layout(x!);
  const weight = t.initializer(w);
  const group = new Attrs(node).int('group', 1);
  const bias = b ? t.initializer(b) : undefined;
  t.poisonInputs(node, `'${node.name}' computes its weights from feature maps`, [0]);
  if (!weight || (b && !bias)) {
    t.poisonLayout(input, `'${node.name}' has computed weights`);
    return;
  }
  const dims = weight.dims.map(Number);
  const cout = dims[outAxis]! * (outAxis === 1 ? group : 1);
  if (group > 1 && node.opType === 'Conv' && dims[1] === 1 && dims[0] === group) {
    // depthwise: filters and bias are sliced with the channels they follow
    if (!input) return;
    t.addSlices(input, w!, 0, 'depthwise', node.name);
    if (b) t.addSlices(input, b, 0, 'depthwise', node.name);
    t.addFixes(input, node.name, 'depthwise');
    t.set(node.output[0], input);
    return;
  }
  const id = t.newGroup(node.name, cout);
  if (group > 1) {
    t.poisonLayout(input, `'${node.name}' is a grouped convolution (group ${group})`);
    t.poison(id, `'${node.name}' is a grouped convolution (group ${group})`);
  } else if (input) {
    t.addSlices(input, w!, inAxis, 'input', node.name);
    t.addConsumers(input, node.name);
  }
  const out = [{ group: id, from: 0, length: cout }];
  t.addSlices(out, w!, outAxis, 'filter', node.name);
  if (b) t.addSlices(out, b, 0, 'bias', node.name);
  t.producers.push({ group: id, node: node.name, weight: w!, bias: b || undefined, axis: outAxis });
  t.set(node.output[0], out);
}

export const rules: Record<string, OpRule> = { Conv: conv, ConvTranspose: conv };
