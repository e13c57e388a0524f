// A float64 forward interpreter for ONNX graphs: the reference gradient checks take finite differences of.
import type { ModelProto } from 'onnx-buf';
import { Attrs } from '../../../src/onnx/attrs.ts';
import { ops } from './ops.ts';
import { fromProto } from './shape.ts';
import type { T64 } from './tensor.ts';

export type { T64 } from './tensor.ts';

/** Runs the model's nodes in order (they are topologically sorted) and returns every value: the feeds, the
 * initializers as float64 (a feed of the same name replaces one, so weights can be perturbed), and each
 * node output. Integer and boolean tensors become numbers. */
export function run64(model: ModelProto, feeds: Record<string, T64>): Map<string, T64> {
  const g = model.graph;
  if (!g) throw new Error('run64: the model has no graph');
  const values = new Map<string, T64>();
  for (const t of g.initializer) if (!(t.name in feeds)) values.set(t.name, fromProto(t));
  for (const [k, v] of Object.entries(feeds)) values.set(k, v);
  for (const n of g.node) {
    const op = ops.get(n.opType);
    if (!op || (n.domain && n.domain !== 'ai.onnx')) throw new Error(`run64: node '${n.name}': no float64 implementation of ${n.domain ? `${n.domain}.` : ''}${n.opType}`);
    const inputs = n.input.map((name) => {
      if (!name) return undefined;
      const v = values.get(name);
      if (!v) throw new Error(`run64: node '${n.name}' (${n.opType}): input '${name}' has no value`);
      return v;
    });
    let outs: T64[];
    try {
      outs = op(inputs, new Attrs(n), n);
    } catch (e) {
      throw new Error(`run64: node '${n.name}' (${n.opType}): ${(e as Error).message}`);
    }
    n.output.forEach((name, i) => { if (name && outs[i]) values.set(name, outs[i]!); });
  }
  return values;
}
