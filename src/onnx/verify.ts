// The verifier every pass runs on its result: the problems that make a graph invalid ONNX (dangling edges,
// duplicate names or producers, cycles, and with an opset, shape mismatches), each naming the node or value.
import type { Graph } from './graph.ts';
import { inferShapes } from './shape/infer.ts';

export interface GraphProblem {
  node?: string;
  value?: string;
  message: string;
  /** `unknown-op`: an op without a shape rule, which is not an error in itself. */
  kind?: 'unknown-op';
}

/** With `opset`, shapes are inferred and mismatches reported too. */
export function verify(g: Graph, opts: { opset?: number } = {}): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const names = new Set<string>();
  const produced = new Map<string, string>();
  const known = new Set<string>([...g.initializers.keys(), ...g.inputs.map((i) => i.name)]);
  for (const n of g.nodes) {
    if (n.name) {
      if (names.has(n.name)) problems.push({ node: n.name, message: `two nodes are named '${n.name}'` });
      names.add(n.name);
    }
    for (const o of n.output) {
      if (!o) continue;
      const other = produced.get(o);
      if (other !== undefined || known.has(o)) problems.push({ node: n.name, value: o, message: `value '${o}' is produced twice (by '${n.name}' and ${other !== undefined ? `'${other}'` : 'an input or initializer'})` });
      produced.set(o, n.name);
    }
  }
  for (const n of g.nodes) {
    for (const i of n.input) {
      if (i && !produced.has(i) && !known.has(i)) problems.push({ node: n.name, value: i, message: `node '${n.name}' (${n.opType}) reads '${i}', which nothing produces` });
    }
  }
  for (const o of g.outputs) {
    if (!produced.has(o.name) && !known.has(o.name)) problems.push({ value: o.name, message: `graph output '${o.name}' is not produced by any node` });
  }
  try {
    g.topologicalOrder();
  } catch (e) {
    problems.push({ message: (e as Error).message });
    return problems;
  }
  if (opts.opset !== undefined && !problems.length) {
    problems.push(...inferShapes(g, opts.opset).problems.filter((p) => p.kind !== 'unknown-op'));
  }
  return problems;
}
