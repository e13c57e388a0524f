// Names: nodes, initializers, graph inputs and outputs each named once (onnxruntime keys all of them by
// name, so a second one with the same name would silently replace the first or be refused).
import type { VerifyRule } from '../types.ts';

function duplicates(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return [...new Set(names.filter((n) => (seen.has(n) ? true : (seen.add(n), false))))];
}

export const rule: VerifyRule = {
  id: 'names',
  summary: 'nodes, initializers, graph inputs and graph outputs have names, each used once',
  stage: 'structure',
  check({ nodes, initializers, inputs, outputs, report }) {
    for (const n of duplicates(nodes.map((x) => x.name).filter(Boolean))) report({ node: n, message: `two nodes are named '${n}'` });
    for (const t of duplicates(initializers.map((x) => x.name))) report({ value: t, message: `two initializers are named '${t}'` });
    for (const [what, list] of [['graph input', inputs], ['graph output', outputs]] as const) {
      if (list.some((v) => !v.name)) report({ message: `a ${what} has no name` });
      for (const v of duplicates(list.map((x) => x.name).filter(Boolean))) report({ value: v, message: `two ${what}s are named '${v}'` });
    }
    if (initializers.some((t) => !t.name)) report({ message: 'an initializer has no name' });
  },
};
