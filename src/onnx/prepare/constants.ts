// Constant nodes become initializers named after their output, so that pruning, quantization, training and
// statistics — which look for weights among initializers — see weights an exporter wrote as Constants (some
// PyTorch and Paddle exports keep every weight that way). Names stay: each initializer takes the name the
// Constant's output had, and the readers are not touched. Left as they are: string and sparse constants, and
// a Constant that is itself a graph output.
import { create } from '@bufbuild/protobuf';
import { ModelProtoSchema, TensorProtoSchema, type NodeProto, type TensorProto } from 'onnx-buf';
import { Attrs } from '../attrs.ts';
import { DataType, tensor, valueInfo } from '../make.ts';
import { elementCount } from '../tensor.ts';
import type { PrepareStep } from './types.ts';

/** The tensor a Constant node holds, named after its output; undefined for strings and sparse values. */
export function constantTensor(n: NodeProto): TensorProto | undefined {
  const name = n.output[0];
  if (n.opType !== 'Constant' || !name || (n.domain !== '' && n.domain !== 'ai.onnx')) return undefined;
  const a = new Attrs(n);
  const t = a.tensor('value');
  if (t) return create(TensorProtoSchema, { ...t, name });
  const floats = a.floats('value_floats');
  if (floats) return tensor(name, [floats.length], Float32Array.from(floats));
  const ints = a.ints('value_ints');
  if (ints) return tensor(name, [ints.length], BigInt64Array.from(ints, BigInt));
  if (a.has('value_float')) return tensor(name, [], Float32Array.of(a.float('value_float', 0)));
  if (a.has('value_int')) return tensor(name, [], BigInt64Array.of(BigInt(a.int('value_int', 0))));
  return undefined;
}

export const constants: PrepareStep = {
  id: 'constants',
  summary: 'Constant nodes become initializers of the same name (weights where every pass looks for them)',
  run(model) {
    const g = model.graph;
    if (!g) return { model, notes: [] };
    const outputs = new Set(g.output.map((o) => o.name));
    const moved: TensorProto[] = [];
    const node = g.node.filter((n) => {
      const t = outputs.has(n.output[0] ?? '') ? undefined : constantTensor(n);
      if (t) moved.push(t);
      return !t;
    });
    if (!moved.length) return { model, notes: [] };
    // IR 3 requires every initializer to be listed among the graph's inputs too
    const listed = Number(model.irVersion) < 4 ? moved.map((t) => valueInfo(t.name, t.dataType as DataType, t.dims.map(Number))) : [];
    const graph = { ...g, node, initializer: [...g.initializer, ...moved], input: [...g.input, ...listed] };
    const floats = moved.filter((t) => t.dataType === DataType.FLOAT || t.dataType === DataType.FLOAT16);
    const values = floats.reduce((a, t) => a + elementCount(t), 0);
    return {
      model: create(ModelProtoSchema, { ...model, graph }),
      notes: [`${moved.length} Constant node${moved.length > 1 ? 's' : ''} became initializers (${floats.length ? `${floats.length} float tensors of ${values.toLocaleString('en-US')} values` : 'shapes and indices, no float tensors'})`],
    };
  },
};
