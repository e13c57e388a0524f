// The CLI's contract: output formats and exit codes 0 / 1 / 2, the same for every command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { main } from '../src/cli/main.ts';
import { COMMANDS } from '../src/cli/commands.ts';
import { SYNTH_DEFAULTS } from '../src/data/synth/generate.ts';
import { validatePlan } from '../src/plan/schema.ts';
import { tempName } from '../src/util/files.ts';

async function lithe(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'lithe-cli-'));
const file = (name: string, text: string): string => { const p = join(dir, name); writeFileSync(p, text); return p; };
const good = file('good.cmp', 'data synth\ntarget x86\nprune backbone l1 0.5\nquantize int8\n');
const bad = file('bad.cmp', 'prune backbone entropi 0.5\ntarget tx2; data synth\nquantize int8\n');

test('check: 0 without errors, 1 with errors, PATH:LINE:COL: SEVERITY CODE: MESSAGE', async () => {
  assert.equal((await lithe('check', good)).code, 0);
  const r = await lithe('check', good, bad);
  assert.equal(r.code, 1);
  assert.deepEqual(r.out.trim().split('\n'), [
    `${bad}:1:16: error CMP1002: unknown criterion 'entropi'; did you mean 'entropy'?`,
    `${bad}:3:10: warning CMP4004: tx2 has no fast int8 path: int8 will not run faster there; use fp16`,
  ]);
});

test('check: warnings alone exit 0', async () => {
  assert.equal((await lithe('check', file('warn.cmp', 'target tx2\ndata synth\nquantize int8\n'))).code, 0);
});

test('check --format json and sarif carry the same diagnostics', async () => {
  const j = JSON.parse((await lithe('check', '--format', 'json', bad)).out) as { code: string; line: number; col: number; fix?: string }[];
  assert.deepEqual(j.map((d) => [d.code, d.line, d.col, d.fix]), [['CMP1002', 1, 16, 'entropy'], ['CMP4004', 3, 10, 'fp16']]);
  const s = JSON.parse((await lithe('check', '--format', 'sarif', bad)).out);
  assert.equal(s.version, '2.1.0');
  const results = s.runs[0].results as { ruleId: string; level: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
  assert.deepEqual(results.map((r) => [r.ruleId, r.level, r.locations[0]!.physicalLocation.region.startLine]), [['CMP1002', 'error', 1], ['CMP4004', 'warning', 3]]);
  assert.ok((s.runs[0].tool.driver.rules as { id: string }[]).some((r) => r.id === 'CMP1002'));
});

test('exit 2 when it cannot run: no such file, bad flags, unknown command, bad format', async () => {
  for (const args of [['check', join(dir, 'nope.cmp')], ['check', '--bogus', good], ['frobnicate'], ['check', '--format', 'xml', good], ['check'], ['explain', good, bad], ['check', '--target', 'tx9', good], ['explain', '--model', 'zoo:yolov9', good]]) {
    const r = await lithe(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, /^lithe: /);
    assert.doesNotMatch(r.err, /\n\s+at /); // no stack trace
  }
});

test('--help and --version', async () => {
  assert.match((await lithe('--help')).out, /Usage: lithe <command>/);
  assert.match((await lithe('--version')).out, /^\d+\.\d+\.\d+\n$/);
});

test('each command has its own --help: its usage, exit 0, even beside bad flags', async () => {
  for (const name of Object.keys(COMMANDS)) {
    const r = await lithe(name, '--help');
    assert.equal(r.code, 0, name);
    assert.ok(r.out.startsWith(`Usage: lithe ${name}`), `${name}: ${r.out.slice(0, 40)}`);
    assert.doesNotMatch(r.out, /Commands:/, name);
  }
  assert.equal((await lithe('check', '--no-such-flag', '-h')).code, 0);
  // a bad flag points at the command's own help
  assert.match((await lithe('check', '--no-such-flag')).err, /Run 'lithe check --help' for usage/);
  // the help spells out data synth's defaults without loading the generator: they must agree
  assert.match(COMMANDS.data!.help, new RegExp(`--seed N, default ${SYNTH_DEFAULTS.seed};\\s+--train N ${SYNTH_DEFAULTS.train}; --val N ${SYNTH_DEFAULTS.val}; --size N ${SYNTH_DEFAULTS.size}\\)`));
});

test('explain: the plan in words; --json matches plan.schema.json; errors give exit 1', async () => {
  const t = await lithe('explain', good);
  assert.equal(t.code, 0);
  assert.match(t.out, /1\. prune {2}\(line 3\)/);
  assert.match(t.out, /round +8 {2}← target x86/);
  const j = await lithe('explain', '--json', good);
  assert.deepEqual(validatePlan(JSON.parse(j.out)), []);
  assert.equal((await lithe('explain', bad)).code, 1);
});

test('fmt rewrites a file; --check lists unformatted files with exit 1; syntax errors are refused', async () => {
  const messy = file('messy.cmp', 'prune   backbone l1   0.5;quantize int8\n');
  assert.equal((await lithe('fmt', '--check', messy)).code, 1);
  assert.equal(readFileSync(messy, 'utf8'), 'prune   backbone l1   0.5;quantize int8\n');
  assert.equal((await lithe('fmt', messy)).code, 0);
  assert.equal(readFileSync(messy, 'utf8'), 'prune backbone l1 0.5; quantize int8\n');
  assert.equal((await lithe('fmt', '--check', messy)).code, 0);
  const broken = file('broken.cmp', 'prune backbone l1 global\n');
  const r = await lithe('fmt', broken);
  assert.equal(r.code, 1);
  assert.equal(readFileSync(broken, 'utf8'), 'prune backbone l1 global\n');
});

test('run stops before the first step with a message naming a step that cannot execute yet', async () => {
  const r = await lithe('run', file('expand.cmp', 'model zoo:micro-yolo\ndata synth\nprune backbone l1 0.5\nreplace backbone conv with mbconv expand 1.5\n'));
  assert.equal(r.code, 2);
  assert.match(r.err, /step 2 \(replace, line 4\): expand 1.5: this version expands by whole numbers only/);
});

test('the installed bin works as a process', () => {
  const out = execFileSync(process.execPath, ['bin/lithe.js', 'check', '--format', 'json', good], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), []);
});

test('fmt keeps what a file is besides its text: a symlink stays a link, the mode, hard links, a BOM', async () => {
  const messy = 'prune   backbone l1   0.5;quantize int8\n';
  const tidy = 'prune backbone l1 0.5; quantize int8\n';
  const target = file('target.cmp', messy);
  const link = join(dir, 'link.cmp');
  symlinkSync('target.cmp', link);
  assert.equal((await lithe('fmt', link)).code, 0);
  assert.ok(lstatSync(link).isSymbolicLink(), 'the link is still a link');
  assert.equal(readlinkSync(link), 'target.cmp');
  assert.equal(readFileSync(target, 'utf8'), tidy);
  for (const mode of [0o600, 0o755, 0o666, 0o640]) {
    const p = file(`mode-${mode.toString(8)}.cmp`, messy);
    chmodSync(p, mode);
    assert.equal((await lithe('fmt', p)).code, 0);
    assert.equal(statSync(p).mode & 0o7777, mode, `mode ${mode.toString(8)} kept`);
    assert.equal(readFileSync(p, 'utf8'), tidy);
  }
  const a = file('hard-a.cmp', messy);
  const b = join(dir, 'hard-b.cmp');
  linkSync(a, b);
  const ino = statSync(a).ino;
  assert.equal((await lithe('fmt', b)).code, 0);
  assert.deepEqual([statSync(a).ino, statSync(b).ino, statSync(a).nlink], [ino, ino, 2], 'the hard link is kept');
  assert.equal(readFileSync(a, 'utf8'), tidy);
  const bom = file('bom.cmp', `\ufeff${messy}`);
  assert.equal((await lithe('fmt', bom)).code, 0);
  assert.equal(readFileSync(bom, 'utf8'), `\ufeff${tidy}`);
  assert.equal((await lithe('fmt', '--check', bom)).code, 0);
});

test('fmt refuses a file that is not UTF-8 (naming the first bad byte) and leaves its bytes alone', async () => {
  const bytes = Buffer.concat([Buffer.from('fuse;eval\n# caf'), Buffer.from([0xe9]), Buffer.from(' au lait\n')]);
  const p = join(dir, 'latin1.cmp');
  writeFileSync(p, bytes);
  const r = await lithe('fmt', p);
  assert.equal(r.code, 1);
  assert.equal(r.err, `${p}:2:6: not UTF-8 text (byte 0xe9 at offset 15); not formatted, left as it is\n`);
  assert.deepEqual(readFileSync(p), bytes);
});

test('fmt: a failed write is a named error (exit 2) and the file is left as it was', async () => {
  const p = file('blocked.cmp', 'fuse;eval\n');
  mkdirSync(tempName(p)); // the temporary's name is taken by a folder: the write fails
  const r = await lithe('fmt', p);
  assert.equal(r.code, 2);
  assert.match(r.err, /^lithe: .*blocked\.cmp: cannot write: /);
  assert.doesNotMatch(r.err, /\n\s+at |Error:/);
  assert.equal(readFileSync(p, 'utf8'), 'fuse;eval\n');
});

test('fmt and check on a file over 1 MiB: CMP0007, nothing read past the limit, nothing written', async () => {
  const text = `fuse;eval\n#${'x'.repeat(2 << 20)}\n`;
  const p = file('huge.cmp', text);
  const f = await lithe('fmt', p);
  assert.equal(f.code, 1);
  assert.match(f.out, /huge\.cmp:1:1: error CMP0007: the file is larger than 1048576 bytes/);
  assert.equal(readFileSync(p, 'utf8'), text);
  const c = await lithe('check', p);
  assert.deepEqual([c.code, c.out.trim().split('\n').length], [1, 1]);
});
