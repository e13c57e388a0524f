// Size and depth: the probe's 50 MB recipes scaled to just past each limit (src/lang/limits.ts), nesting
// that once overflowed a stack, and `use` of what is no recipe. Each must be one diagnostic (or a bounded
// list) with its code, quickly; bench:robust runs the full-size ones too (heavy.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { LIMITS } from '../../../../src/lang/limits.ts';
import type { RobustCase } from '../types.ts';
import { fill, MB, recipeCase } from './case.ts';

const OVER = LIMITS.statements + 1;
const check = (name: string, files: Record<string, string>, codes: string[], opts = {}): RobustCase => recipeCase(name, 'fail', files, { codes, ...opts });

const size: RobustCase[] = [
  check('set lines just past 1 MiB', { 'r.cmp': fill('set lr 0.01\n', MB + 1) }, ['CMP0007']),
  check(`${OVER} set lines (under 1 MiB)`, { 'r.cmp': 'set lr 0.01\n'.repeat(OVER) }, ['CMP0008']),
  check(`${OVER} statements on one line`, { 'r.cmp': `data synth; ${'fuse; '.repeat(OVER)}` }, ['CMP0008']),
  check('YAML steps just past 1 MiB', { 'r.yaml': fill('  - fuse:\n', MB + 1, 'data: {format: synth}\nsteps:\n') }, ['CMP0007']),
  check(`${OVER} YAML steps`, { 'r.yaml': `data: {format: synth}\nsteps:\n${'  - fuse:\n'.repeat(OVER)}` }, ['CMP0008']),
  check('unknown lines just past 1 MiB', { 'r.cmp': fill('x\n', MB + 1) }, ['CMP0007']),
  check(`${OVER} unknown lines: 200 shown, the rest counted`, { 'r.cmp': 'x\n'.repeat(OVER) }, ['CMP1001', 'CMP0005', 'CMP0008'], { says: new RegExp(`${OVER - 1 - LIMITS.diagnostics} more problems not shown`) }),
  check('a string of 1 MiB (under the size limit)', { 'r.cmp': `model "${'a'.repeat(MB - 100)}"\n` }, ['CMP0009']),
  check('a string one character too long', { 'r.cmp': `model "${'a'.repeat(LIMITS.tokenChars + 1)}"\n` }, ['CMP0009']),
  check('an unterminated string of 1 MiB', { 'r.cmp': `model "${'a'.repeat(MB - 100)}` }, ['CMP0009']),
  check('a word of 5000 letters', { 'r.cmp': `${'w'.repeat(5000)} 1\n` }, ['CMP0009']),
  check('a number of 5000 digits', { 'r.cmp': `data synth\nfinetune epochs ${'9'.repeat(5000)}\n` }, ['CMP0009']),
  check('a number of 4000 digits (Infinity)', { 'r.cmp': `data synth\nfinetune epochs ${'9'.repeat(4000)}\n` }, ['CMP2003'], { says: /at most 10000/ }),
  check('a YAML string of 5000 characters', { 'r.yaml': `model: ${'m'.repeat(5000)}.onnx\n` }, ['CMP0009']),
  check('1 MiB of lexer errors', { 'r.cmp': fill('@ ', MB - 100) }, ['CMP0001', 'CMP0005']),
  check('1 MiB of bad escapes', { 'r.cmp': fill(`model "${'\\q'.repeat(2000)}"\n`, MB - 5000) }, ['CMP0004', 'CMP0005']),
  check('100,000 criteria joined by +', { 'r.cmp': `data synth\nprune backbone ${Array(100_000).fill('l1').join('+')} 0.5\n` }, ['CMP2007']),
  check('50,000 weights on one distill step', { 'r.cmp': `data synth\ndistill from teacher with cls${Array.from({ length: 50_000 }, (_, i) => ` weight w${i} 1`).join('')}\n` }, ['CMP1003', 'CMP0005']),
  check('100,000 options on one step', { 'r.cmp': `data synth\nprune backbone l1 0.5${' round 8'.repeat(100_000)}\n` }, ['CMP0005']),
  check('explain on too many statements', { 'r.cmp': 'fuse\n'.repeat(OVER) }, ['CMP0008'], { command: 'explain' }),
  // "Did you mean" compares each unknown name with every known one: quadratic, unless bounded.
  check('5,000 scopes and 5,000 steps naming undeclared ones', {
    'r.cmp': `${Array.from({ length: 5000 }, (_, i) => `scope sc${String(i).padStart(5, '0')} = "x*"\n`).join('')}${Array.from({ length: 5000 }, (_, i) => `prune zz${String(i).padStart(5, '0')} l1 0.5\n`).join('')}`,
  }, ['CMP3002', 'CMP0005']),
  check('5,000 teachers and 5,000 distills from undeclared ones', {
    'r.cmp': `data synth\n${Array.from({ length: 5000 }, (_, i) => `teacher "t.onnx" as tc${String(i).padStart(5, '0')}\n`).join('')}${Array.from({ length: 4990 }, (_, i) => `distill from zz${String(i).padStart(5, '0')} with cls\n`).join('')}`,
    't.onnx': '',
  }, ['CMP3001', 'CMP0005']),
  // The formatter aligns runs of declarations: once per run, not once per line.
  recipeCase('fmt of 9,000 set lines', 'ok', { 'r.cmp': Array.from({ length: 9000 }, (_, i) => `set ${i % 2 ? 'lr' : 'batch'}   ${i % 2 ? '0.01' : '8'}\n`).join('') }, { command: 'fmt' }),
  recipeCase('fmt of 9,000 scope lines', 'ok', { 'r.cmp': Array.from({ length: 9000 }, (_, i) => `scope s${i}   = "x*"\n`).join('') }, { command: 'fmt' }),
];

const depth: RobustCase[] = [
  check('10,000 nested parentheses', { 'r.cmp': `scope a = ${'('.repeat(10_000)}"x*"${')'.repeat(10_000)}\n` }, ['CMP0006']),
  check('500,000 ( alone', { 'r.cmp': '('.repeat(500_000) }, ['CMP0006']),
  check('100 except in a row', { 'r.cmp': `scope a = "x"${' except "y"'.repeat(100)}\n` }, ['CMP0006']),
  check('YAML: 100,000 nested [', { 'r.yaml': `steps: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n` }, ['CMP0006']),
  check('YAML: 100,000 nested {', { 'r.yaml': `steps: ${'{a: '.repeat(100_000)}\n` }, ['CMP0006']),
  check('YAML: 100,000 ? keys', { 'r.yaml': `${'? '.repeat(100_000)}a\n` }, ['CMP0006']),
  check('YAML: 100,000 nested - on one line', { 'r.yaml': `steps:\n  ${'- '.repeat(100_000)}eval\n` }, ['CMP0006']),
  check("YAML: nesting behind a ' that is no quote", { 'r.yaml': `steps: [a', ${'['.repeat(100_000)}\n` }, ['CMP0006']),
  check('YAML: nesting behind a # that is no comment', { 'r.yaml': `steps: [a#, ${'['.repeat(100_000)}\n` }, ['CMP0006']),
  check('YAML: 1,000 levels of indentation', { 'r.yaml': Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') }, ['CMP0006']),
  check('YAML: 100,000 [ on lines of their own', { 'r.yaml': `steps:\n${'[\n'.repeat(100_000)}` }, ['CMP0003', 'CMP0005']),
  check('YAML: 100,000 top-level keys', { 'r.yaml': Array.from({ length: 100_000 }, (_, i) => `k${i}: 1\n`).join('') }, ['CMP1001', 'CMP0005']),
  check('YAML: 50,000 duplicate keys', { 'r.yaml': 'a: 1\n'.repeat(50_000) }, ['CMP0003']),
  check('YAML: an alias bomb', { 'r.yaml': `a0: &a0 [eval]\n${Array.from({ length: 20 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]\n`).join('')}steps: *a20\n` }, ['CMP1001']),
  check('YAML: a !!js/function tag', { 'r.yaml': 'steps:\n  - fuse: !!js/function "function () { process.exit(3) }"\n' }, []),
  check('YAML: a !!js/regexp key', { 'r.yaml': 'model: !!js/regexp /x/\nsteps: !!js/undefined\n' }, []),
];

/** `use` chains: c0 uses c1 uses c2 ... */
const chain = (n: number): Record<string, string> => ({
  'r.cmp': 'use "c0.cmp"\n',
  ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`c${i}.cmp`, `${i < n - 1 ? `use "c${i + 1}.cmp"\n` : ''}scope s${i} = "x*"\n`])),
});

const uses: RobustCase[] = [
  check(`use ${LIMITS.useDepth + 4} files deep`, chain(LIMITS.useDepth + 4), ['CMP3011']),
  check(`use of ${LIMITS.useFiles + 6} files`, {
    'r.cmp': Array.from({ length: LIMITS.useFiles + 6 }, (_, i) => `use "w${i}.cmp"\n`).join(''),
    ...Object.fromEntries(Array.from({ length: LIMITS.useFiles + 6 }, (_, i) => [`w${i}.cmp`, `scope w${i} = "x*"\n`])),
  }, ['CMP3011']),
  check('use of a file just past 1 MiB', { 'r.cmp': 'use "big.cmp"\n', 'big.cmp': fill('scope s = "x*"\n', MB + 1) }, ['CMP0007']),
  check('use of five files of almost 1 MiB', {
    'r.cmp': Array.from({ length: 5 }, (_, i) => `use "b${i}.cmp"\n`).join(''),
    ...Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`b${i}.cmp`, `scope b${i} = "x*"\n#${'x'.repeat(MB - 100)}\n`])),
  }, ['CMP3011']),
  check('use of a FIFO', { 'r.cmp': 'use "pipe.cmp"\nscope a = "x*"\n' }, ['CMP3005'], {
    subprocess: true, says: /FIFO/, make: (dir: string) => execFileSync('mkfifo', [join(dir, 'pipe.cmp')]),
  }),
  check('use of /dev/zero through a link', { 'r.cmp': 'use "zero.cmp"\n' }, ['CMP3004'], { subprocess: true, make: (dir: string) => symlinkSync('/dev/zero', join(dir, 'zero.cmp')) }),
  check('use "/dev/zero"', { 'r.cmp': 'use "/dev/zero"\n' }, ['CMP3004'], { subprocess: true }),
  check('use of a folder', { 'r.cmp': 'use "lib.cmp"\n' }, ['CMP3005'], { make: (dir: string) => mkdirSync(join(dir, 'lib.cmp')) }),
  check('use of itself', { 'r.cmp': 'use "r.cmp"\nscope a = "x*"\n' }, ['CMP3006']),
  // The recipe itself is no file: refused before any reading (exit 2, naming it).
  recipeCase('check of a FIFO', 'fail', {}, { main: 'pipe.cmp', subprocess: true, says: /pipe\.cmp: a FIFO/, make: (dir) => execFileSync('mkfifo', [join(dir, 'pipe.cmp')]) }),
  recipeCase('check of /dev/zero (a link named .cmp)', 'fail', {}, { main: 'zero.cmp', subprocess: true, says: /zero\.cmp: a device/, make: (dir) => symlinkSync('/dev/zero', join(dir, 'zero.cmp')) }),
];

export const limitCases: RobustCase[] = [...size, ...depth, ...uses];
