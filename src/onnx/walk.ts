// Every tensor stored in a graph: its initializers, tensor attributes (a Constant's value) and those of its
// subgraphs (If, Loop, Scan bodies), each with where it sits, for messages.
import type { GraphProto, NodeProto, TensorProto } from 'onnx-buf';

export interface StoredTensor { tensor: TensorProto; where: string }

export function* tensorsIn(nodes: readonly NodeProto[], initializers: readonly TensorProto[], scope = ''): Generator<StoredTensor> {
  for (const t of initializers) yield { tensor: t, where: `${scope}initializer '${t.name}'` };
  for (const n of nodes) {
    for (const a of n.attribute) {
      const at = `${scope}attribute '${a.name}' of node '${n.name}' (${n.opType})`;
      if (a.t) yield { tensor: a.t, where: at };
      for (const t of a.tensors) yield { tensor: t, where: at };
      const inner = `${scope}subgraph '${a.name}' of node '${n.name}': `;
      for (const g of a.g ? [a.g, ...a.graphs] : a.graphs) yield* tensorsIn(g.node, g.initializer, inner);
    }
  }
}

export const tensorsOf = (g: GraphProto | undefined): Generator<StoredTensor> => tensorsIn(g?.node ?? [], g?.initializer ?? []);
