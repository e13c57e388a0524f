// `lithe fmt` on files that are more than their text: links, modes, hard links, bytes that are not UTF-8, a
// byte-order mark, a FIFO, a file past the size limit. The file must keep what it is; what fmt cannot
// format it leaves byte for byte.
import { execFileSync } from 'node:child_process';
import { chmodSync, linkSync, lstatSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Outcome, RobustCase } from '../types.ts';
import { MB, recipeCase } from './case.ts';

const MESSY = 'prune   backbone l1   0.5;quantize fp16\n';
const TIDY = 'prune backbone l1 0.5; quantize fp16\n';
const GROWS = `scope a = ${'"x",'.repeat(230_000)}"x"\n`;

/** The file's bytes after the run, as `want` (a string is compared as UTF-8). */
const bytesAre = (name: string, want: string | Uint8Array) => (dir: string): string | undefined => {
  const got = readFileSync(join(dir, name));
  return got.equals(typeof want === 'string' ? Buffer.from(want) : want) ? undefined : `${name} holds ${JSON.stringify(got.toString('latin1').slice(0, 80))}`;
};

const LATIN1 = Buffer.concat([Buffer.from('fuse;eval # caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
const INVALID = [
  ['a Latin-1 comment', LATIN1],
  ['a lone continuation byte', Buffer.from([0x66, 0x75, 0x73, 0x65, 0x0a, 0x80, 0x0a])],
  ['an overlong slash', Buffer.concat([Buffer.from('model "a'), Buffer.from([0xc0, 0xaf]), Buffer.from('b"\n')])],
  ['a UTF-16 surrogate in UTF-8', Buffer.concat([Buffer.from('# '), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('\nfuse\n')])],
  ['a sequence cut at the end', Buffer.concat([Buffer.from('fuse;eval # '), Buffer.from([0xe2, 0x82])])],
] as const;

const withMode = (mode: number): RobustCase => recipeCase(`fmt of a ${mode.toString(8)} file`, 'ok', {}, {
  command: 'fmt', main: 'r.cmp',
  make: (dir) => { writeFileSync(join(dir, 'r.cmp'), MESSY); chmodSync(join(dir, 'r.cmp'), mode); },
  verify: (dir) => {
    const m = statSync(join(dir, 'r.cmp')).mode & 0o7777;
    return m !== mode ? `mode ${m.toString(8)}, was ${mode.toString(8)}` : bytesAre('r.cmp', TIDY)(dir);
  },
});

export const fmtCases: RobustCase[] = [
  ...INVALID.map(([what, bytes]) => recipeCase(`fmt of a file with ${what}`, 'fail', { 'r.cmp': bytes }, {
    command: 'fmt', says: /r\.cmp:\d+:\d+: not UTF-8 text \(byte 0x[0-9a-f]{2} at offset \d+\)/, verify: bytesAre('r.cmp', bytes),
  })),
  recipeCase('fmt of a file with a byte-order mark', 'ok', { 'r.cmp': `\ufeff${MESSY}` }, { command: 'fmt', verify: bytesAre('r.cmp', `\ufeff${TIDY}`) }),
  recipeCase('check of a file with a byte-order mark', 'ok', { 'r.cmp': `\ufeff${TIDY}` }),
  recipeCase('fmt through a symlink', 'ok', { 'target.cmp': MESSY }, {
    command: 'fmt', main: 'link.cmp', make: (dir) => symlinkSync('target.cmp', join(dir, 'link.cmp')),
    verify: (dir) => (!lstatSync(join(dir, 'link.cmp')).isSymbolicLink() || readlinkSync(join(dir, 'link.cmp')) !== 'target.cmp' ? 'the link is gone' : bytesAre('target.cmp', TIDY)(dir)),
  }),
  recipeCase('fmt of a hard-linked file', 'ok', { 'r.cmp': MESSY }, {
    command: 'fmt', make: (dir) => linkSync(join(dir, 'r.cmp'), join(dir, 'other.cmp')),
    verify: (dir) => {
      const [a, b] = [statSync(join(dir, 'r.cmp')), statSync(join(dir, 'other.cmp'))];
      return a.ino !== b.ino || a.nlink !== 2 ? 'the hard link is broken' : bytesAre('other.cmp', TIDY)(dir);
    },
  }),
  withMode(0o600), withMode(0o755), withMode(0o666), withMode(0o640),
  recipeCase('fmt of a FIFO', 'fail', {}, { command: 'fmt', main: 'pipe.cmp', subprocess: true, says: /FIFO/, make: (dir) => execFileSync('mkfifo', [join(dir, 'pipe.cmp')]) }),
  recipeCase('fmt of a file past 1 MiB', 'fail', { 'r.cmp': `${MESSY}#${'x'.repeat(MB)}\n` }, { command: 'fmt', codes: ['CMP0007'], verify: bytesAre('r.cmp', `${MESSY}#${'x'.repeat(MB)}\n`) }),
  // `"x",` becomes `"x", `: a fifth longer.
  recipeCase('fmt whose output would pass 1 MiB', 'fail', { 'r.cmp': GROWS }, { command: 'fmt', codes: ['CMP0007'], verify: bytesAre('r.cmp', GROWS) }),
  recipeCase('fmt of a file with syntax errors', 'fail', { 'r.cmp': 'prune   backbone l1 global\n' }, { command: 'fmt', codes: ['CMP0003'], verify: bytesAre('r.cmp', 'prune   backbone l1 global\n') }),
  recipeCase('fmt --check of an untidy file', 'fail', { 'r.cmp': MESSY }, { command: 'fmt', flags: ['--check'], says: /not formatted/, verify: bytesAre('r.cmp', MESSY) }),
  recipeCase('fmt of a tidy file leaves it alone', 'ok', { 'r.cmp': TIDY }, {
    command: 'fmt', make: (dir) => chmodSync(join(dir, 'r.cmp'), 0o444), verify: (dir: string, o: Outcome) => (o.out ? `it said ${o.out}` : bytesAre('r.cmp', TIDY)(dir)),
  }),
];
