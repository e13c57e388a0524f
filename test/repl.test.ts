// lithe repl: statements applied at once to a model in memory, a summary after each step, the dot commands,
// continuation lines, diagnostics with carets, .recipe that lithe run reproduces; driven through a pipe (as
// scripts use it), in-process, and once in a real terminal (tmux) with completion and the history file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, PassThrough } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';
import { toBinary } from '@bufbuild/protobuf';
import { TensorProtoSchema, type TensorProto } from 'onnx-buf';
import { Session } from '../src/repl/session.ts';
import { loop } from '../src/repl/loop.ts';
import { needsMore } from '../src/repl/continuation.ts';
import { complete } from '../src/repl/complete.ts';
import { historyFile } from '../src/cli/commands/repl.ts';
import { loadModel } from '../src/onnx/io.ts';
import { modelStats } from '../src/onnx/stats.ts';
import { Graph } from '../src/onnx/graph.ts';
import { cli } from './support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'lithe-repl-'));
// synthetic data sets are made under ./data, as lithe run makes them: this file's process works in its own folder
process.chdir(dir);
mkdirSync(join(dir, 'sub'));
const root = new URL('..', import.meta.url).pathname;
const encodeTensor = (t: TensorProto): Uint8Array => toBinary(TensorProtoSchema, t);

/** Lines typed into a session in this process; what it printed, and the exit code. */
async function session(lines: string[], prelude = ['model zoo:micro-yolo']): Promise<{ out: string; code: number }> {
  let out = '';
  const io = { out: (t: string) => { out += t; }, err: () => {} };
  const s = new Session({ io, cwd: dir, threads: 1, prelude });
  try {
    if (!(await s.start())) return { out, code: 1 };
    const code = await loop(s, { input: Readable.from(lines.map((l) => `${l}\n`)), output: new PassThrough(), terminal: false });
    return { out, code };
  } finally {
    s.close();
  }
}

test('continuation: after , or +, inside ( ) or [ ]; not in strings or comments', () => {
  const cases: [string, boolean][] = [
    ['prune backbone l1 0.5', false], ['distill from teacher with cls+', true], ['scope s = "a*",', true],
    ['scope s = ("a*"', true], ['scope s = ("a*",\n "b*")', false], ['model "a,"', false], ['prune backbone l1 0.5 # a,', false],
    ['set prune.round [8,', true], ['distill with cls +  # more below', true],
  ];
  for (const [text, more] of cases) assert.equal(needsMore(text), more, text);
});

test('completion: the language service\'s, over the session so far; dot commands', () => {
  const none = { text: '', file: join(dir, 'repl.cmp') };
  assert.deepEqual(complete('prune backbone entr', none), [['entropy'], 'entr']);
  assert.ok(complete('distill from teacher with f', none)[0].includes('feat'));
  assert.ok(complete('quantize int8 ptq ', none)[0].includes('calib'));
  assert.ok(complete('prune my', { ...none, text: 'scope myscope = "a*"\n' })[0].includes('myscope'));
  assert.deepEqual(complete('.un', none), [['.undo'], '.un']);
  assert.equal(historyFile({ LITHE_HISTORY: '' }), undefined);
  assert.equal(historyFile({ LITHE_HISTORY: '/x/h' }), '/x/h');
});

test('statements run at once with a summary; diagnostics with carets; undo, info, explain, errors as one line', async () => {
  const r = await session([
    'data synth images 16',
    'prune backbone l1 0.5',
    'prune backbone entropi 0.5',
    'fuse,',                       // continues, then a blank line ends it: checked as it is
    '',
    '.info',
    '.info backbon',
    '.undo',
    '.explain',
    '.bench',
    '.eval',
    'fuse',
    '.reset',
    '.nope',
  ]);
  assert.equal(r.code, 1, 'refused entries make a piped session exit 1');
  const lines = r.out.split('\n');
  assert.match(lines[0]!, /^model zoo:micro-yolo: 2\.78 M params, 0\.61 G MACs, 10\.6 MiB$/);
  // data before any step: the zoo model is built again, for the synthetic set's 9 classes (as lithe run builds it)
  assert.match(lines[1]!, /^model zoo:micro-yolo: 2\.62 M params, 0\.55 G MACs, 10\.0 MiB$/);
  assert.match(r.out, /\n1\. prune: 0\.89 M params \(2\.93× less\), 0\.22 G MACs \(2\.47× less\), 3\.4 MiB \(2\.92× less\)\n/);
  // the caret drawing of lithe check --format pretty, with the line numbers of the entry
  assert.match(r.out, /1:16: error CMP1002: unknown criterion 'entropi'; did you mean 'entropy'\?\n {2}prune backbone entropi 0\.5\n {17}\^{7}\n/);
  assert.match(r.out, /error CMP0003/, 'fuse, and nothing after it');
  assert.match(r.out, /\n1\. prune \(zoo:micro-yolo\): 0\.89 M params.*\n {2}backbone {4}19 layers of 62 nodes/);
  assert.match(r.out, /lithe: unknown scope 'backbon'; did you mean 'backbone'\?/);
  assert.match(r.out, /undone: prune backbone l1 0\.5\ninput: 2\.62 M params/);
  assert.match(r.out, /plan for .*repl\.cmp\n {2}model {4}zoo:micro-yolo/);
  assert.match(r.out, /input: 2\.62 M params, 0\.55 G MACs, 10\.0 MiB, \d+\.\d ms at 1 thread, \d+\.\d ms at 2 threads/);
  assert.match(r.out, /input: 2\.62 M params, 0\.55 G MACs, 10\.0 MiB, mAP \d+\.\d \(@\.5 \d+\.\d\), \d+\.\d ms at 1 thread/, '.eval adds mAP to what .bench measured');
  assert.match(r.out, /\n1\. fuse: [^\n]*\ninput: 2\.62 M params, 0\.55 G MACs, 10\.0 MiB, mAP/, '.reset: back to the input, its numbers kept');
  assert.match(r.out, /lithe: unknown command '\.nope'/);
  assert.doesNotMatch(r.out, /\n\s+at |Error:/, 'never a stack trace');
});

test('a declaration that would change the input model after steps ran is refused; the session stays as it was', async () => {
  const r = await session(['fuse', 'data synth images 16', '.info', '.recipe sub/after.cmp']);
  assert.equal(r.code, 1);
  assert.match(r.out, /lithe: this declaration changes the input model, and steps have run on the old one/);
  assert.match(r.out, /\n1\. fuse \(zoo:micro-yolo\): 2\.76 M params/);
  assert.equal(readFileSync(join(dir, 'sub', 'after.cmp'), 'utf8'), '# written by lithe repl\nmodel zoo:micro-yolo\nfuse\n');
});

test('.recipe writes what lithe run reproduces; .save writes the current model', async () => {
  const r = await session([
    'data synth images 16',
    'scope early = "layers.00[0-4]*"',
    'prune early l1 0.5; fuse',
    '.save repl.onnx',
    '.recipe session.cmp',
    '.save repl.onnx',          // its own file: replaced
    '.recipe sub/elsewhere.cmp', // any folder; a note when relative paths would break (none here)
  ]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /\n1\. prune: .*\n2\. fuse: /);
  const recipe = readFileSync(join(dir, 'session.cmp'), 'utf8');
  assert.equal(recipe, '# written by lithe repl\nmodel zoo:micro-yolo\ndata synth images 16\nscope early = "layers.00[0-4]*"\nprune early l1 0.5; fuse\n');
  const run = await cli('run', join(dir, 'session.cmp'), '--out', join(dir, 'run'), '--threads', '1');
  assert.equal(run.code, 0, run.err);
  const [a, b] = [loadModel(join(dir, 'repl.onnx')), loadModel(join(dir, 'run', '02-fuse.onnx'))];
  // the same graph and weights (the files differ in what .save records about the opset in the metadata)
  const nodes = (m: typeof a) => m.graph!.node.map((n) => `${n.opType} ${n.name} ${n.input.join(',')}`);
  assert.deepEqual(nodes(a), nodes(b));
  const weights = (m: typeof a) => new Map(m.graph!.initializer.map((t) => [t.name, Buffer.from(encodeTensor(t)).toString('base64')]));
  assert.ok(isDeepStrictEqual(weights(a), weights(b)), 'the same weights');
  assert.equal(modelStats(Graph.fromModel(a), 13).params, modelStats(Graph.fromModel(b), 13).params);
  // a file it did not write is not replaced; the model is never written over
  writeFileSync(join(dir, 'theirs.onnx'), 'x');
  const refused = await session(['.save theirs.onnx', '.recipe theirs.cmp'], ['model "repl.onnx"']);
  assert.match(refused.out, /theirs\.onnx: already exists and this session did not write it; choose another name/);
  const over = await session(['.save repl.onnx'], ['model "repl.onnx"']);
  assert.match(over.out, /repl\.onnx.*(input model|the model)/);
  assert.equal(readFileSync(join(dir, 'theirs.onnx'), 'utf8'), 'x');
});

test('piped into lithe repl: results on stdout, exit 0; a missing model is a named error, exit 1', () => {
  const run = (args: string[], input: string) => spawnSync(process.execPath, [join(root, 'bin/lithe.js'), 'repl', ...args], { input, encoding: 'utf8', cwd: dir });
  const ok = run(['zoo:micro-yolo', '--threads', '1'], 'fuse\n.help\n');
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^model zoo:micro-yolo: .*\n1\. fuse: 2\.76 M params/);
  assert.match(ok.stdout, /\.recipe FILE\.cmp +write the statements so far as a recipe/);
  const missing = run(['no-such.onnx'], 'fuse\n');
  assert.equal(missing.status, 1);
  assert.match(missing.stdout, /error CMP3013: .*no-such\.onnx/);
  assert.equal(missing.stderr, '');
});

const tmux = spawnSync('tmux', ['-V']).status === 0;

test('in a terminal (tmux): prompt, continuation prompt, completion with Tab, history kept in LITHE_HISTORY', { skip: !tmux && 'tmux is not installed' }, async () => {
  const history = join(dir, 'history');
  const name = `lithe-repl-${process.pid}`;
  const t = (...a: string[]) => execFileSync('tmux', ['-L', name, ...a], { encoding: 'utf8' });
  const screen = () => t('capture-pane', '-p', '-t', name);
  const until = async (re: RegExp, what: string) => {
    for (let i = 0; i < 600; i++) { if (re.test(screen())) return; await new Promise((r) => setTimeout(r, 100)); }
    assert.fail(`${what}: the screen shows\n${screen()}`);
  };
  const cmd = `cd ${dir} && LITHE_HISTORY=${history} ${process.execPath} ${join(root, 'bin/lithe.js')} repl zoo:micro-yolo --threads 1`;
  t('new-session', '-d', '-s', name, '-x', '150', '-y', '40', cmd);
  try {
    await until(/^lithe>/m, "the prompt");
    t('send-keys', '-t', name, 'distill from teacher with cls+', 'Enter');
    await until(/^\.\.\.\.\.\./m, "the continuation prompt");
    t('send-keys', '-t', name, 'feat epochs 1', 'Enter');
    // no data declared: the checker says so, with carets, and the session goes on
    await until(/error CMP\d+/, 'the diagnostic');
    t('send-keys', '-t', name, 'prune backbone entr', 'Tab');
    await until(/prune backbone entropy/, 'completion');
    t('send-keys', '-t', name, 'C-u', 'fuse', 'Enter');
    await until(/1\. fuse: 2\.76 M params/, 'the summary');
    t('send-keys', '-t', name, 'C-d');
    for (let i = 0; i < 100 && !existsSync(history); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(readFileSync(history, 'utf8'), /^fuse\n/m);
  } finally {
    spawnSync('tmux', ['-L', name, 'kill-server']);
  }
});
