// Names that are also properties of every JavaScript object: as scopes, teachers and their uses they are
// ordinary names (the plan holds them, `explain --json` prints them); where lithe has fixed keys they are
// unknown words, named as such.
import { readFileSync } from 'node:fs';
import type { RobustCase } from '../types.ts';
import { recipeCase } from './case.ts';

const NAMES = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', 'isPrototypeOf'];

const cmp = (names: string[]): string => `data synth\n${names.map((n, i) => `scope ${n} = "layer${i}.*"\nteacher "t${i}.onnx" as ${n}\n`).join('')}`
  + names.map((n) => `prune ${n} l1 0.5 keep ${n}\ndistill from ${n} with cls\n`).join('');

const yaml = (names: string[]): string => `data: {format: synth}\nscopes: {${names.map((n, i) => `${n}: "layer${i}.*"`).join(', ')}}\n`
  + `teachers: {${names.map((n, i) => `${n}: t${i}.onnx`).join(', ')}}\nsteps:\n`
  + names.map((n) => `  - prune: {scope: ${n}, criterion: l1, amount: 0.5, keep: {scope: ${n}}}\n  - distill: {from: ${n}, losses: [cls]}\n`).join('');

/** `explain --json` lists every name as a scope and a teacher. */
const planHasNames = (names: string[]) => (_dir: string, o: { out: string }): string | undefined => {
  let plan: { scopes: Record<string, unknown>; teachers: Record<string, unknown> };
  try { plan = JSON.parse(o.out); } catch { return `explain --json printed no JSON: ${o.out.slice(0, 200)}`; }
  const missing = names.filter((n) => !Object.hasOwn(plan.scopes, n) || !Object.hasOwn(plan.teachers, n));
  return missing.length ? `names missing from the plan: ${missing.join(', ')}` : undefined;
};

export const nameCases: RobustCase[] = [
  ...NAMES.map((n) => recipeCase(`${n} as a scope and a teacher`, 'ok', { 'r.cmp': cmp([n]) })),
  recipeCase('every such name at once, in the plan', 'ok', { 'r.cmp': cmp(NAMES) }, { command: 'explain', flags: ['--json'], verify: planHasNames(NAMES) }),
  recipeCase('every such name at once, YAML', 'ok', { 'r.yaml': yaml(NAMES) }, { command: 'explain', flags: ['--json'], verify: planHasNames(NAMES) }),
  recipeCase('__proto__ as a scope in a used file', 'ok', { 'r.cmp': 'use "lib.cmp"\ndata synth\nprune __proto__ l1 0.5\n', 'lib.cmp': 'scope __proto__ = "x*"\nscope constructor = __proto__ except "y*"\n' }),
  recipeCase('set __proto__', 'fail', { 'r.cmp': 'set __proto__ 1\nset constructor 2\n' }, { codes: ['CMP1010'] }),
  recipeCase('__proto__ as an option of a step', 'fail', { 'r.cmp': 'data synth\nprune backbone l1 0.5 __proto__ 3\n' }, { codes: ['CMP1007'] }),
  recipeCase('YAML: __proto__ as a parameter, a set key and a data option', 'fail', {
    'r.yaml': 'data: {format: synth, __proto__: {calib: 1}}\nset: {__proto__: 1, constructor: 2}\nsteps:\n  - prune: {scope: backbone, criterion: l1, amount: 0.5, __proto__: {round: 3}}\n',
  }, { codes: ['CMP1007', 'CMP1010'] }),
  recipeCase('YAML: constructor as a top-level key', 'fail', { 'r.yaml': 'constructor: 1\ntoString: 2\n' }, { codes: ['CMP1001'] }),
  recipeCase('an undeclared teacher called toString', 'fail', { 'r.cmp': 'data synth\ndistill from toString with cls\n' }, { codes: ['CMP3001'] }),
  recipeCase('an undeclared scope called constructor', 'fail', { 'r.cmp': 'prune constructor l1 0.5\n' }, { codes: ['CMP3002'] }),
  recipeCase('fmt keeps __proto__ names', 'ok', { 'r.cmp': 'scope  __proto__ = "x*"\nprune __proto__ l1 0.5\n' }, {
    command: 'fmt', verify: (dir) => (readFileSync(`${dir}/r.cmp`, 'utf8') === 'scope __proto__ = "x*"\nprune __proto__ l1 0.5\n' ? undefined : 'not formatted as expected'),
  }),
];
