// Edges: every value a node reads is produced (by a node, a graph input or an initializer), no value is
// produced twice, every graph output is produced, and the nodes can be ordered (no cycle).
import type { VerifyRule } from '../types.ts';

export const rule: VerifyRule = {
  id: 'edges',
  summary: 'every value read is produced exactly once; graph outputs are produced; no cycle',
  stage: 'structure',
  check({ graph, nodes, initializers, inputs, outputs, report }) {
    const produced = new Map<string, string>();
    const known = new Set<string>([...initializers.map((t) => t.name), ...inputs.map((i) => i.name)]);
    for (const n of nodes) {
      for (const o of n.output) {
        if (!o) continue;
        const other = produced.get(o);
        if (other !== undefined || known.has(o)) report({ node: n.name, value: o, message: `value '${o}' is produced twice (by '${n.name}' and ${other !== undefined ? `'${other}'` : 'an input or initializer'})` });
        produced.set(o, n.name);
      }
    }
    for (const n of nodes) {
      for (const i of n.input) {
        if (i && !produced.has(i) && !known.has(i)) report({ node: n.name, value: i, message: `node '${n.name}' (${n.opType}) reads '${i}', which nothing produces` });
      }
    }
    for (const o of outputs) {
      if (!produced.has(o.name) && !known.has(o.name)) report({ value: o.name, message: `graph output '${o.name}' is not produced by any node` });
    }
    try {
      graph.topologicalOrder();
    } catch (e) {
      report({ message: (e as Error).message });
    }
  },
};
