// Built-in scopes (backbone, neck, head) of a model without a stdlib profile, inferred from its graph. The
// rules, in order:
//  head      the head's output convolutions and everything after them (the decoding tail). The head comes
//            from headFor (declared, recorded, or recognised); with none, the last layers before the outputs
//            (weighted ops from which an output is reached without passing another) and what follows them.
//  neck      from the first scale join on: the first Resize, Upsample or ConvTranspose in topological order
//            (where an FPN/PAN's top-down path starts), and every node that join does not depend on, except
//            the head.
//  backbone  the rest: what the first scale join depends on. With no join (SSD, a plain stack of strided
//            convolutions), everything before the head, and the neck is empty.
// Unnamed nodes cannot be selected by name, so they belong to no scope.
import type { ModelProto, NodeProto } from 'onnx-buf';
import { HeadView } from '../metrics/decode/detect/view.ts';
import { headFor, type HeadSpec } from '../metrics/decode/head.ts';
import type { SelectorJson } from '../plan/selector.ts';

export interface InferredScopes {
  backbone: NodeProto[];
  neck: NodeProto[];
  head: NodeProto[];
  /** The node where the neck starts, when there is one. */
  join?: NodeProto;
}

const JOINS = new Set(['Resize', 'Upsample', 'ConvTranspose']);

/** Nodes `from` depends on (their producers, recursively). */
function ancestors(v: HeadView, from: NodeProto): Set<NodeProto> {
  const out = new Set<NodeProto>();
  const stack = [from];
  while (stack.length) {
    for (const i of stack.pop()!.input) {
      const p = i ? v.g.producer(i) : undefined;
      if (p && !out.has(p)) { out.add(p); stack.push(p); }
    }
  }
  return out;
}

export function inferScopes(model: ModelProto, declared?: HeadSpec): InferredScopes {
  const v = new HeadView(model);
  const head = headFor(model, declared);
  const convs = !head?.convs.length
    ? v.walkBack(v.g.outputs.map((o) => o.name)).convs
    : head.convs.map((c) => v.g.producer(c)).filter((n): n is NodeProto => !!n);
  const inHead = new Set([...convs, ...v.downstream(convs.flatMap((c) => c.output.filter(Boolean)))]);
  const order = v.g.topologicalOrder().filter((n) => n.name);
  const join = order.find((n) => JOINS.has(n.opType) && !inHead.has(n));
  const before = join ? ancestors(v, join) : undefined;
  const scope = (n: NodeProto): keyof Omit<InferredScopes, 'join'> => (inHead.has(n) ? 'head' : !before || before.has(n) ? 'backbone' : 'neck');
  const out: InferredScopes = { backbone: [], neck: [], head: [], ...(join ? { join } : {}) };
  for (const n of order) out[scope(n)].push(n);
  return out;
}

/** A glob matching exactly `name`: glob characters stand for themselves as `?` (any one character). */
const exact = (name: string): string => name.replace(/[*?[\]]/g, '?');

/** A scope's nodes as a selector (a union of exact names). */
export const namesSelector = (nodes: readonly NodeProto[]): SelectorJson => ({ union: nodes.map((n) => ({ glob: exact(n.name) })) });
