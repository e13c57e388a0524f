// The probe's inputs at full size (50 MB), for bench:robust only: npm test runs them scaled to just past
// each limit (limits.ts). They must end as fast as those: nothing past the first MiB is read.
import type { RobustCase } from '../types.ts';
import { fill, recipeCase } from './case.ts';

const FIFTY = 50 * 1000 * 1000;

export const heavyCases: RobustCase[] = [
  recipeCase('50 MB of set lines (4.4 M)', 'fail', { 'r.cmp': fill('set lr 0.01\n', FIFTY) }, { codes: ['CMP0007'], subprocess: true }),
  recipeCase('50 MB of YAML steps (3.7 M)', 'fail', { 'r.yaml': fill('  - fuse: {}\n', FIFTY, 'data: {format: synth}\nsteps:\n') }, { codes: ['CMP0007'], subprocess: true }),
  recipeCase('50 MB of unknown lines (13 M)', 'fail', { 'r.cmp': fill('xy\n', FIFTY) }, { codes: ['CMP0007'], subprocess: true }),
  recipeCase('a 50 MB string', 'fail', { 'r.cmp': `model "${'a'.repeat(FIFTY)}"\n` }, { codes: ['CMP0007'], subprocess: true }),
  recipeCase('50 MB of nested YAML [', 'fail', { 'r.yaml': `steps: ${'['.repeat(FIFTY)}` }, { codes: ['CMP0007'], subprocess: true }),
  recipeCase('explain on 50 MB of set lines', 'fail', { 'r.cmp': fill('set lr 0.01\n', FIFTY) }, { command: 'explain', codes: ['CMP0007'], subprocess: true }),
  recipeCase('fmt on 50 MB of set lines', 'fail', { 'r.cmp': fill('set lr 0.01\n', FIFTY) }, { command: 'fmt', codes: ['CMP0007'], subprocess: true }),
];
