// Reliability scenarios that take more than one lithe process: two runs into one folder, kill -9 at every
// stage of a run and --resume compared byte for byte with an uninterrupted run, a state file torn by a power
// cut, a full disk and a read-only folder (on a small tmpfs where this machine allows mounting one).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelIn, recipeIn } from './fixture.ts';
import type { Outcome, Verdict } from './types.ts';
import { judge } from './run-case.ts';
import { readCheckpoint } from '../../../src/train/checkpoint.ts';

const LITHE = fileURLToPath(new URL('../../../bin/lithe.js', import.meta.url));

export interface Scenario {
  kind: string;
  name: string;
  /** `named`: lithe must refuse with a named error; `ok`: it must succeed. */
  expect: 'named' | 'ok';
  /** Runs the scenario; `skipped` says why it could not run on this machine (no tmpfs, not root). */
  run(): Promise<{ verdict: Verdict; why?: string } | { skipped: string }>;
}

/** `lithe ARGS` as a process, to its end (or `timeoutMs`, then killed: a hang); `asUser` runs it as another user. */
export function lithe(args: string[], opts: { cwd?: string; timeoutMs?: number; asUser?: number } = {}): Promise<Outcome | 'hang'> {
  return new Promise((resolve) => {
    const argv = [process.execPath, LITHE, ...args];
    const [cmd, ...rest] = opts.asUser === undefined ? argv : ['setpriv', `--reuid=${opts.asUser}`, `--regid=${opts.asUser}`, '--clear-groups', ...argv];
    const p = spawn(cmd!, rest, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 180_000);
    p.on('exit', (code, signal) => { clearTimeout(timer); resolve(signal === 'SIGKILL' ? 'hang' : { code: code ?? 128, out, err }); });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `lithe ARGS` and sends it `signal` once `when()` holds (polled); false when it ended by itself first. */
async function killWhen(args: string[], when: () => boolean, signal: NodeJS.Signals = 'SIGKILL'): Promise<boolean> {
  const p: ChildProcess = spawn(process.execPath, [LITHE, ...args], { stdio: 'ignore' });
  let ended = false;
  p.on('exit', () => { ended = true; });
  while (!ended && !when()) await sleep(20);
  if (ended) return false;
  p.kill(signal);
  while (!ended) await sleep(20);
  return true;
}

/** The pipeline the kill scenarios interrupt: every kind of stage (measure, prune, fine-tune, quantize, export). */
const PIPELINE = (dir: string) => `prune backbone l1 0.5 finetune epochs 2\nquantize int8 ptq calib 8\neval map\nexport onnx "${join(dir, 'final.onnx')}"`;

const readLog = (out: string) => { try { return readFileSync(join(out, 'run.log'), 'utf8'); } catch { return ''; } };

/** The models and the report of a finished run, for byte comparisons (timings and latencies left out). */
function result(dir: string): { models: Map<string, Buffer>; report: string } {
  const out = join(dir, 'run');
  const models = new Map(readdirSync(out).filter((f) => f.endsWith('.onnx')).map((f) => [f, readFileSync(join(out, f))]));
  models.set('export', readFileSync(join(dir, 'final.onnx')));
  // the case's folder appears in paths: compare what lies under it
  const report = JSON.stringify(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'), (k, v) => (['seconds', 'latency_ms', 'latency_stats'].includes(k) ? undefined : v)), null, 1).replaceAll(dir, 'DIR');
  return { models, report };
}

function compare(a: ReturnType<typeof result>, b: ReturnType<typeof result>): string | undefined {
  for (const [name, bytes] of a.models) if (!b.models.get(name)?.equals(bytes)) return `${name} differs from the uninterrupted run's`;
  if (a.report !== b.report) {
    const [x, y] = [a.report.split('\n'), b.report.split('\n')];
    const i = x.findIndex((l, k) => l !== y[k]);
    return `report.json differs from the uninterrupted run's at line ${i + 1}: ${x[i]?.trim()} vs ${y[i]?.trim()}`;
  }
  return undefined;
}

/** Where a run is killed: a line of run.log that says it got there. */
const KILL_POINTS: [string, RegExp][] = [
  ['while measuring the input model', /measuring the input model/],
  ['as the prune step starts', /prune: step 1 .* starts/],
  ['mid fine-tuning, after its first epoch', /epoch 1\/2/],
  ['as quantization starts', /quantize: step 2 .* starts/],
  ['while exporting', /export: step 4 .* starts/],
];

let reference: Promise<{ dir: string; result: ReturnType<typeof result> }> | undefined;
/** The uninterrupted run every kill scenario compares with (one per process). */
function uninterrupted() {
  return (reference ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lithe-ref-'));
    const model = modelIn(dir);
    const r = await lithe(['run', recipeIn(dir, PIPELINE(dir), { model }), '--out', join(dir, 'run'), '--threads', '1'], { cwd: dir });
    if (r === 'hang' || r.code) throw new Error(`the uninterrupted run failed: ${r === 'hang' ? 'hang' : r.err}`);
    return { dir, result: result(dir) };
  })());
}

/** Interrupted by `signal` at `line`, resumed, and compared with the uninterrupted run. */
const interrupted = (where: string, line: RegExp, signal: NodeJS.Signals): Scenario => ({
  kind: 'run', name: `${signal === 'SIGKILL' ? 'kill -9' : 'Ctrl-C'} ${where}, then --resume`, expect: 'ok',
  async run() {
    const ref = await uninterrupted();
    const dir = mkdtempSync(join(tmpdir(), 'lithe-kill-'));
    const model = modelIn(dir);
    const recipe = recipeIn(dir, PIPELINE(dir), { model });
    const out = join(dir, 'run');
    const args = ['run', recipe, '--out', out, '--threads', '1'];
    const killed = await killWhen(args, () => line.test(readLog(out)), signal);
    if (!killed) return { verdict: 'wrong', why: 'the run ended before it could be stopped' };
    const saved = checkpointSeconds(join(out, 'step-01-prune', 'checkpoint.bin'));
    const r = await lithe([...args, '--resume'], { cwd: dir });
    const j = judge({ kind: 'run', name: where, expect: 'ok', setup: () => [] }, r, dir);
    if (j.verdict !== 'ok') return j;
    const leftovers = readdirSync(out).filter((f) => f.includes('.lithe-tmp-'));
    if (leftovers.length) return { verdict: 'wrong', why: `temporaries left: ${leftovers.join(', ')}` };
    const why = compare(ref.result, result(dir));
    if (why) return { verdict: 'wrong', why };
    // the step's time counts the part before the interruption too
    const prune = (JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { steps: { seconds: number }[] }).steps[0]!;
    if (saved !== undefined && prune.seconds < saved) return { verdict: 'wrong', why: `the prune step took ${prune.seconds} s in the report, less than the ${saved} s its checkpoint had recorded` };
    return { verdict: 'ok' };
  },
});

const killScenarios: Scenario[] = [
  ...KILL_POINTS.map(([where, line]) => interrupted(where, line, 'SIGKILL')),
  interrupted('in the second epoch of fine-tuning', /epoch 1\/2/, 'SIGINT'),
];

/** The step time a fine-tuning checkpoint recorded, if there is one. */
function checkpointSeconds(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  return (readCheckpoint<{ carry?: { seconds?: number } }>(file).header.carry?.seconds);
}

/** A recipe that trains long enough for a second process to meet the first one's lock. */
const SLOW = 'finetune epochs 50';

const lockScenarios: Scenario[] = [
  {
    kind: 'run', name: 'two runs into one folder: the second refuses, naming the first\'s pid', expect: 'named',
    async run() {
      const dir = mkdtempSync(join(tmpdir(), 'lithe-lock-'));
      const out = join(dir, 'run');
      const first = spawn(process.execPath, [LITHE, 'run', recipeIn(dir, SLOW), '--out', out, '--threads', '1'], { stdio: 'ignore' });
      try {
        while (!existsSync(join(out, 'lithe.lock')) && first.exitCode === null) await sleep(20);
        const second = await lithe(['run', recipeIn(dir, 'fuse', { name: 'other.cmp' }), '--out', out], { cwd: dir });
        if (second === 'hang') return { verdict: 'hang' };
        if (second.code === 0) return { verdict: 'wrong', why: 'the second run exited 0' };
        if (!second.err.includes(`pid ${first.pid}`)) return { verdict: 'wrong', why: `the refusal does not name pid ${first.pid}: ${second.err.trim()}` };
        return judge({ kind: 'run', name: 'lock', expect: 'fail', setup: () => [] }, second, dir);
      } finally {
        first.kill('SIGKILL');
      }
    },
  },
  {
    kind: 'run', name: 'a dead run\'s lock is taken over by --resume', expect: 'ok',
    async run() {
      const dir = mkdtempSync(join(tmpdir(), 'lithe-lock-'));
      const out = join(dir, 'run');
      const recipe = recipeIn(dir, 'quantize int8 ptq calib 8');
      await killWhen(['run', recipe, '--out', out, '--threads', '1'], () => existsSync(join(out, 'lithe.lock')));
      const r = await lithe(['run', recipe, '--out', out, '--resume', '--threads', '1'], { cwd: dir });
      const j = judge({ kind: 'run', name: 'stale lock', expect: 'ok', setup: () => [] }, r, dir);
      if (j.verdict === 'ok' && existsSync(join(out, 'lithe.lock'))) return { verdict: 'wrong', why: 'the lock outlived the run' };
      return j;
    },
  },
];

const stateScenarios: Scenario[] = [
  {
    kind: 'run', name: 'an empty state.json (power cut): --resume rebuilds it from the step records', expect: 'ok',
    async run() {
      const ref = await uninterrupted();
      const dir = mkdtempSync(join(tmpdir(), 'lithe-state-'));
      const model = modelIn(dir);
      const recipe = recipeIn(dir, PIPELINE(dir), { model });
      const out = join(dir, 'run');
      await killWhen(['run', recipe, '--out', out, '--threads', '1'], () => /quantize: step 2 .* starts/.test(readLog(out)));
      truncateSync(join(out, 'state.json'), 0);
      writeFileSync(join(out, `report.json.lithe-tmp-${2 ** 22 + 12345}`), '{"torn'); // a dead writer's temporary
      const r = await lithe(['run', recipe, '--out', out, '--resume', '--threads', '1'], { cwd: dir });
      const j = judge({ kind: 'run', name: 'state', expect: 'ok', setup: () => [] }, r, dir);
      if (j.verdict !== 'ok') return j;
      if (!readLog(out).includes('rebuilt from the records of 1 finished step')) return { verdict: 'wrong', why: 'the state was not rebuilt from step 1\'s record' };
      if (readdirSync(out).some((f) => f.includes('.lithe-tmp-'))) return { verdict: 'wrong', why: 'a dead writer\'s temporary was left' };
      const why = compare(ref.result, result(dir));
      return why ? { verdict: 'wrong', why } : { verdict: 'ok' };
    },
  },
];

/** A tmpfs of `size` mounted at a new folder, or why it cannot be (not root, no mount). */
function mountTmpfs(options: string): { dir: string; unmount(): void } | string {
  const dir = mkdtempSync(join(tmpdir(), 'lithe-mnt-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) { rmSync(dir, { recursive: true, force: true }); return `cannot mount a tmpfs here (${(r.stderr || r.error?.message || '').trim() || 'mount failed'})`; }
  return { dir, unmount: () => { spawnSync('umount', [dir]); rmSync(dir, { recursive: true, force: true }); } };
}

/** A command run with its outputs on a mounted file system that refuses them; nothing half-written may remain. */
function mountScenario(name: string, fs: { size: string; readOnly?: boolean }, prepare: ((mnt: string) => void) | undefined, args: (dir: string, mnt: string) => string[]): Scenario {
  return {
    kind: 'disk', name, expect: 'named',
    async run() {
      const m = mountTmpfs(`size=${fs.size}`);
      if (typeof m === 'string') return { skipped: m };
      try {
        const dir = mkdtempSync(join(tmpdir(), 'lithe-disk-'));
        prepare?.(m.dir);
        if (fs.readOnly && spawnSync('mount', ['-o', 'remount,ro', m.dir]).status !== 0) return { skipped: 'cannot remount the tmpfs read-only' };
        const model = modelIn(dir);
        const before = readFileSync(model);
        const r = await lithe(args(dir, m.dir), { cwd: dir });
        const j = judge({ kind: 'disk', name, expect: 'fail', setup: () => [] }, r, dir);
        if (j.verdict !== 'named') return j;
        if (!readFileSync(model).equals(before)) return { verdict: 'wrong', why: 'the input model changed' };
        const left = listAll(m.dir).filter((f) => f.includes('.lithe-tmp-'));
        return left.length ? { verdict: 'wrong', why: `temporaries left: ${left.join(', ')}` } : j;
      } finally {
        m.unmount();
      }
    },
  };
}

function listAll(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

/** A tmpfs with room for the run folder's small files but not for a model. */
const FULL = { size: '600k' };
const READ_ONLY = { size: '1m', readOnly: true };

const diskScenarios: Scenario[] = [
  mountScenario('run on a full disk', FULL, undefined, (d, mnt) => ['run', recipeIn(d, 'quantize int8 ptq calib 8'), '--out', join(mnt, 'run')]),
  mountScenario('export onto a full disk', FULL, undefined, (d, mnt) => ['run', recipeIn(d, `fuse\nexport onnx "${join(mnt, 'm.onnx')}"`), '--out', join(d, 'run')]),
  mountScenario('convert onto a full disk', FULL, undefined, (d, mnt) => ['convert', join(d, 'model.onnx'), join(mnt, 'm.onnx')]),
  mountScenario('data synth onto a full disk', FULL, undefined, (_d, mnt) => ['data', 'synth', '--out', join(mnt, 'synth'), '--train', '600', '--val', '16', '--size', '64']),
  mountScenario('zoo build onto a full disk', FULL, undefined, (_d, mnt) => ['zoo', 'build', 'yolov3-tiny', '--size', '64', '-o', join(mnt, 'm.onnx')]),
  mountScenario('fmt of a recipe on a full disk', { size: '4k' }, (mnt) => writeFileSync(join(mnt, 'r.cmp'), 'prune   backbone l1 0.5\n'.repeat(100)), (_d, mnt) => ['fmt', join(mnt, 'r.cmp')]),
  mountScenario('run into a read-only folder', READ_ONLY, undefined, (d, mnt) => ['run', recipeIn(d, 'fuse'), '--out', join(mnt, 'run')]),
  mountScenario('data synth into a read-only folder', READ_ONLY, undefined, (_d, mnt) => ['data', 'synth', '--out', join(mnt, 'synth'), '--train', '8', '--val', '8', '--size', '64']),
  mountScenario('convert into a read-only folder', READ_ONLY, undefined, (d, mnt) => ['convert', join(d, 'model.onnx'), join(mnt, 'm.onnx')]),
  mountScenario('fmt of a recipe in a read-only folder', READ_ONLY, (mnt) => writeFileSync(join(mnt, 'r.cmp'), 'prune   backbone l1 0.5\n'), (_d, mnt) => ['fmt', join(mnt, 'r.cmp')]),
];

/** nobody: a user the permissions of a folder apply to (root passes every permission check). */
const NOBODY = 65534;

/** A command run as nobody with its output in a folder nobody may not write (EACCES), its inputs readable. */
function forbiddenScenario(name: string, args: (dir: string, forbidden: string) => string[]): Scenario {
  return {
    kind: 'disk', name, expect: 'named',
    async run() {
      if (process.getuid?.() !== 0 || spawnSync('setpriv', ['--version']).status !== 0) return { skipped: 'needs root and setpriv to run lithe as another user' };
      const dir = mkdtempSync(join(tmpdir(), 'lithe-eacces-'));
      const forbidden = join(dir, 'forbidden');
      mkdirSync(forbidden);
      writeFileSync(join(forbidden, 'r.cmp'), 'prune   backbone l1 0.5\n');
      const argv = args(dir, forbidden);
      for (const f of [dir, ...readdirSync(dir).map((f) => join(dir, f))]) chmodSync(f, 0o755);
      chmodSync(join(forbidden, 'r.cmp'), 0o644);
      chmodSync(forbidden, 0o555);
      const r = await lithe(argv, { cwd: dir, asUser: NOBODY });
      return judge({ kind: 'disk', name, expect: 'fail', setup: () => [] }, r, dir);
    },
  };
}

const forbiddenScenarios: Scenario[] = [
  forbiddenScenario('run into a forbidden folder', (d, f) => ['run', recipeIn(d, 'fuse'), '--out', join(f, 'run')]),
  forbiddenScenario('data synth into a forbidden folder', (_d, f) => ['data', 'synth', '--out', join(f, 'synth'), '--train', '8', '--val', '8', '--size', '64']),
  forbiddenScenario('convert into a forbidden folder', (d, f) => ['convert', modelIn(d), join(f, 'm.onnx')]),
  forbiddenScenario('fmt of a recipe in a forbidden folder', (_d, f) => ['fmt', join(f, 'r.cmp')]),
];

export const scenarios: Scenario[] = [...lockScenarios, ...stateScenarios, ...killScenarios, ...diskScenarios, ...forbiddenScenarios];
