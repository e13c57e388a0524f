// Arity: a node has as many inputs and outputs as its op's schema allows, and every required input is given
// (an empty name stands for an omitted optional input only, never for one of a variadic list).
import { schemaOf } from '../schema-of.ts';
import type { VerifyRule } from '../types.ts';

const range = ({ min, max, only }: { min: number; max: number; only?: readonly number[] }): string =>
  (only ? only.join(' or ') : min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`);
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
      for (const [what, list, counts] of [['input', n.input, s.inputs], ['output', n.output, s.outputs]] as const) {
        const k = list.length;
        if (k < counts.min || k > counts.max || (counts.only && !counts.only.includes(k))) report({ node: n.name, message: `${at} has ${plural(k, what)}; ${n.opType} takes ${range(counts)}` });
      }
      // an empty name stands for an omitted optional input; a required or variadic one cannot be omitted
      n.input.forEach((v, k) => {
        const f = s.formals[Math.min(k, s.formals.length - 1)];
        const required = k < s.formals.length ? f?.option === 'single' || f?.option === 'variadic' : f?.option === 'variadic';
        if (!v && required) report({ node: n.name, message: `${at}: input ${k} is required but empty` });
      });
    }
  },
};
