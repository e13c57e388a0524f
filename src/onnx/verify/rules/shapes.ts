// Shapes: shape inference follows the graph from its inputs; a node whose inputs do not fit it (channels
// that disagree, a window larger than its input, a declared shape the graph does not compute) is named.
// An op lithe has no shape rule for is not a problem here: its outputs' shapes are just unknown.
import type { VerifyRule } from '../types.ts';

export const rule: VerifyRule = {
  id: 'shapes',
  summary: 'shapes through the graph fit every node, and declared shapes agree with them',
  stage: 'semantics',
  needs: 'opset',
  check({ shapes, report }) {
    for (const p of shapes().problems) if (p.kind !== 'unknown-op') report(p);
  },
};
