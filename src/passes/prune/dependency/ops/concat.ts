// Concat on the channel axis: the output's layout is the inputs' one after another, so a consumer of the
// concatenation reads each group at its offset. On another axis the channels must agree: not followed.
import type { NodeProto } from 'onnx-buf';
import { Attrs } from '../../../../onnx/attrs.ts';
import { opaque, type Layout, type OpRule, type Tracer } from '../tracer.ts';

function concat(node: NodeProto, t: Tracer): void {
  const inputs = node.input.filter((v) => v);
  if (!inputs.some((v) => t.layout(v))) return;
  const rank = t.shape(node.output[0])?.length ?? t.shape(inputs[0])?.length;
  const axis = new Attrs(node).int('axis', 0);
  const why = (w: string) => t.poisonInputs(node, `'${node.name}' (Concat) ${w}`);
  if (rank === undefined) return why('has inputs of unknown rank');
  if ((axis + rank) % rank !== 1) return why(`joins along axis ${axis}, not the channels`);
  const out: Layout = [];
  for (const v of inputs) {
    const c = t.channels(v);
    if (c === undefined) return why(`reads '${v}', whose channel count is unknown`);
    out.push(...(t.layout(v) ?? opaque(c)));
  }
  t.set(node.output[0], out);
}

export const rules: Record<string, OpRule> = { Concat: concat };
