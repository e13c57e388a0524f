// Arity: a node has as many inputs and outputs as its op's schema allows, and every required input is given
// (an empty name stands for an omitted optional input only).
import { schemaOf } from '../schema-of.ts';
import type { VerifyRule } from '../types.ts';

const range = (min: number, max: number): string => (min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`);
const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

export const rule: VerifyRule = {
  id: 'arity',
  summary: 'nodes have the number of inputs and outputs their op allows, and every required input',
  stage: 'structure',
  needs: 'opset',
  check({ nodes, opset, report }) {
    for (const n of nodes) {
      const s = schemaOf(n, opset);
      if (!s) continue;
      const at = `node '${n.name}' (${n.opType})`;
      for (const [what, list, { min, max }] of [['input', n.input, s.inputs], ['output', n.output, s.outputs]] as const) {
        if (list.length < min || list.length > max) report({ node: n.name, message: `${at} has ${plural(list.length, what)}; ${n.opType} takes ${range(min, max)}` });
      }
      s.formals.forEach((f, k) => {
        if (f.option === 'single' && k < n.input.length && !n.input[k]) report({ node: n.name, message: `${at}: input ${k} is required but empty` });
      });
    }
  },
};
