// A batch fixed at 1 (PyTorch's export without dynamic axes, most converters' default) becomes symbolic where
// nothing in the graph depends on it: evaluation, calibration and pruning criteria feed batches of images,
// and training its own batch. "Nothing depends on it": with the batch symbolic, shapes still follow through
// every node, every graph output still carries the batch, no Reshape drops it (a target with a literal 1
// that was the batch), and no Concat joins a batch-carrying tensor to a tensor of batch 1 (a constant baked
// at batch 1). Otherwise the batch stays 1, said in a note, and evaluation feeds one image at a time.
import { create } from '@bufbuild/protobuf';
import { ValueInfoProtoSchema, type ValueInfoProto } from 'onnx-buf';
import { Attrs } from '../attrs.ts';
import { Graph } from '../graph.ts';
import { defaultOpset } from '../io.ts';
import { DEFAULT_OPSET, valueInfo } from '../make.ts';
import { declaredType, inferShapes, type Shapes } from '../shape/infer.ts';
import { imageInput } from './image-input.ts';
import type { PrepareStep } from './types.ts';

/** The name the freed batch takes (the builder's and the zoo's). */
const BATCH = 'N';

/** Why the batch cannot be freed, or undefined when it can. */
function dependsOnBatch(g: Graph, s: Shapes): string | undefined {
  const p = s.problems.find((x) => x.kind !== 'unknown-op');
  if (p) return p.message;
  const unknown = s.problems.find((x) => x.kind === 'unknown-op');
  if (unknown) return `shapes are unknown after node '${unknown.node}' (${unknown.op})`;
  const batchOf = (v: string | undefined) => (v ? s.types.get(v)?.shape?.[0] : undefined);
  for (const n of g.nodes) {
    if (n.opType === 'Reshape' && batchOf(n.input[0]) === BATCH && batchOf(n.output[0]) !== BATCH) return `node '${n.name}' (Reshape) has the batch in its target`;
    if (n.opType === 'Concat' && new Attrs(n).int('axis', 0) !== 0 && n.input.some((i) => batchOf(i) === BATCH) && n.input.some((i) => batchOf(i) === 1)) {
      return `node '${n.name}' (Concat) joins the batch to a tensor of batch 1`;
    }
  }
  for (const o of g.outputs) if (batchOf(o.name) !== BATCH) return `graph output '${o.name}' does not carry the batch`;
  return undefined;
}

/** `v` with its first dimension renamed to the batch. */
function withBatch(v: ValueInfoProto): ValueInfoProto {
  const t = declaredType(v);
  return t?.shape?.length ? valueInfo(v.name, t.elem, [BATCH, ...t.shape.slice(1)]) : create(ValueInfoProtoSchema, v);
}

export const batch: PrepareStep = {
  id: 'batch',
  summary: 'a batch fixed at 1 becomes symbolic where nothing in the graph depends on it',
  run(model) {
    const g = Graph.fromModel(model);
    const img = imageInput(g);
    if (!img || img.shape[0] !== 1 || g.inputs.some((i, k) => k !== img.index && !g.initializers.has(i.name))) return { model, notes: [] };
    g.inputs[img.index] = withBatch(img.info);
    // shapes recorded at batch 1 would contradict the symbolic batch: they are inferred again
    g.valueInfo.clear();
    const s = inferShapes(g, defaultOpset(model) ?? DEFAULT_OPSET);
    const why = dependsOnBatch(g, s);
    const name = img.info.name;
    if (why) return { model, notes: [`input '${name}' keeps its batch of 1: ${why}; evaluation feeds it one image at a time`] };
    g.outputs.splice(0, g.outputs.length, ...g.outputs.map(withBatch));
    return { model: g.toModel(model), notes: [`input '${name}' takes any batch (it was fixed at 1; nothing in the graph depends on it)`] };
  },
};
