// The run folder: the plan, a log, the model after each step with its record, the report, and state.json,
// which lists the steps done so that `--resume` continues after the last one. One lithe process at a time
// holds it (lithe.lock). Every file is written to a temporary name, flushed and renamed, so an interrupted
// run never leaves a half-written file; temporaries of a killed run are removed when the folder is opened
// again. state.json is a summary of the step records (`NN-pass.json`, written after each step's model): if a
// power cut leaves it empty or torn, the state is rebuilt from the records of the steps that finished.
import { appendFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelProto } from 'onnx-buf';
import { encodeModel, loadModel, noteWritten } from '../onnx/io.ts';
import { cleanStaleTemps, makeDir, readText, writeAtomic } from '../util/files.ts';
import { lockFolder, LOCK_FILE, type Lock } from '../util/lock.ts';
import { InputGuard } from '../util/guard.ts';
import { EXIT, fsError, LitheError, printable } from '../errors.ts';
import type { Measures } from './types.ts';
import { RunError } from './types.ts';

export interface StepRecord {
  index: number;
  pass: string;
  /** The model file after this step, relative to the run folder. */
  model: string;
  seconds: number;
  measures: Measures;
  details?: Record<string, unknown>;
}

export interface RunState {
  plan: string; before: Measures; steps: StepRecord[];
  /** The earlier run's plan differs from this one from this step on (1-based): the steps before it are kept. */
  changedFrom?: number;
}

/** The record of the input model's measures, the first thing a run writes after the plan. */
const BEFORE = '00-input.json';
const STATE = 'state.json';
/** The files outside the folder this run writes, recorded before each is written (a killed export is ours to redo). */
const EXPORTS = 'exports.json';
/** Files that say a folder is a lithe run folder (one of them is written before anything else). */
const MARKS = [STATE, 'plan.json', LOCK_FILE, BEFORE];
/** What a step writes: its model and record (`02-prune.onnx`, `02-prune.json`) and its folder (`step-02-prune`). */
const STEP_FILE = /^(\d\d-[a-z]+\.(onnx|json)|step-\d\d-[a-z]+)$/;

export interface FolderOptions {
  /** What the run reads: nothing in the folder may be written over it. */
  guard?: InputGuard;
  /** Use a folder that holds files lithe did not write (they may be replaced). */
  force?: boolean;
}

export class RunFolder {
  private readonly guard: InputGuard;
  private lock: Lock | undefined;
  /** The folder held a lithe run before (not a new folder, nor one of other files opened with --force). */
  private readonly ours: boolean;

  /** Opens (creating it if needed) and locks `dir`; throws naming the problem when the folder cannot be a run folder. */
  constructor(readonly dir: string, opts: FolderOptions = {}) {
    this.guard = opts.guard ?? new InputGuard();
    this.guard.check(dir, 'the run folder');
    makeDir(dir);
    const names = list(dir);
    this.ours = names.some((n) => MARKS.includes(n));
    if (names.length && !this.ours && !opts.force) {
      throw new LitheError(`${printable(dir)} holds files that lithe did not write (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''}); choose a new or empty --out, or pass --force to write there`, EXIT.usage);
    }
    this.lock = lockFolder(dir, 'lithe run');
    for (const d of [dir, ...names.filter((n) => n.startsWith('step-')).map((n) => join(dir, n))]) cleanStaleTemps(d);
  }

  release(): void { this.lock?.release(); this.lock = undefined; }

  path(name: string): string { return join(this.dir, name); }

  write(name: string, data: string | Uint8Array | readonly Uint8Array[], durable = false): void {
    const file = this.path(name);
    this.guard.check(file);
    writeAtomic(file, data, { durable });
  }

  writeModel(name: string, model: ModelProto): void { this.write(name, encodeModel(model), true); noteWritten(this.path(name)); }
  readModel(name: string): ModelProto { return loadModel(this.path(name)); }

  log(line: string): void {
    const file = this.path('run.log');
    try { appendFileSync(file, `${new Date().toISOString()} ${line}\n`); } catch (e) { throw fsError(e, file, 'write'); }
  }

  /**
   * The state of an earlier run of the same plan (where in the recipe its statements stand does not count: a
   * comment or a blank line added to a recipe must not throw away hours of training), or undefined (none yet); a different plan is an error. A
   * state file that a crash left empty or torn is rebuilt from the step records.
   */
  state(plan: string, say: (line: string) => void = () => {}): RunState | undefined {
    const names = list(this.dir);
    if (!names.includes(STATE) && !names.includes(BEFORE)) return undefined;
    const s = parseJson<RunState>(this.path(STATE)) ?? this.rebuild(plan, names, say);
    if (!s) return undefined;
    const kept = s.plan === plan ? s.steps.length : commonSteps(s.plan, plan);
    if (kept === undefined) throw new RunError(`${printable(this.dir)} holds a run of a different plan (its model, data, target, scopes or teachers differ): give another --out, or delete it`);
    // every finished step is still in the plan: an ordinary resume
    if (kept >= s.steps.length) return { ...s, plan };
    return { ...s, plan, steps: s.steps.slice(0, kept), changedFrom: kept + 1 };
  }

  /** The state from the records: the input's measures, then each step whose record and model are whole. */
  private rebuild(plan: string, names: string[], say: (line: string) => void): RunState | undefined {
    const before = parseJson<{ plan: string; before: Measures }>(this.path(BEFORE));
    if (!before) return undefined;
    const steps: StepRecord[] = [];
    for (let i = 1; ; i++) {
      const rec = names.find((n) => n.startsWith(`${String(i).padStart(2, '0')}-`) && n.endsWith('.json'));
      const r = rec && parseJson<StepRecord>(this.path(rec));
      if (!r || !names.includes(r.model)) break;
      steps.push(r);
    }
    say(`${STATE} was empty or damaged: rebuilt from the records of ${steps.length} finished step${steps.length === 1 ? '' : 's'}`);
    return { plan: before.plan, before: before.before, steps };
  }

  /** Records the input's measures (before any step) and the state. */
  saveBefore(s: RunState): void {
    this.write(BEFORE, `${JSON.stringify({ plan: s.plan, before: s.before }, null, 2)}\n`, true);
    this.saveState(s);
  }

  /** Records a finished step (its model is written already), then the state. */
  saveStep(s: RunState, r: StepRecord): void {
    this.write(r.model.replace(/\.onnx$/, '.json'), `${JSON.stringify(r, null, 2)}\n`, true);
    this.saveState(s);
  }

  private saveState(s: RunState): void { this.write(STATE, `${JSON.stringify(s, null, 2)}\n`, true); }

  /** Records that this run is about to write `path` outside its folder, so a resumed run may write it again. */
  claim(path: string): void {
    const claimed = exportsRecorded(this.dir);
    if (claimed.has(path)) return;
    this.write(EXPORTS, `${JSON.stringify([...claimed, path], null, 2)}\n`, true);
  }

  /** A step's own folder for checkpoints. */
  stepDir(index: number, pass: string): string {
    const d = this.path(`step-${String(index).padStart(2, '0')}-${pass}`);
    makeDir(d);
    return d;
  }

  /**
   * Removes the step files of an earlier attempt that left no state (a run killed while it measured its
   * input), so that a state rebuilt later can only find this attempt's records. Only in a lithe run folder,
   * and only the names lithe gives them.
   */
  clearSteps(from = 1): void {
    if (!this.ours) return;
    for (const n of list(this.dir)) if (STEP_FILE.test(n) && Number(/\d\d/.exec(n)![0]) >= from) rmSync(this.path(n), { recursive: true, force: true });
  }
}

/** The paths a run in `dir` exports to (claimed before writing them), which a resumed run may write again. */
export function exportsRecorded(dir: string): Set<string> {
  return new Set(parseJson<string[]>(join(dir, EXPORTS)) ?? []);
}

function list(dir: string): string[] {
  try { return readdirSync(dir); } catch (e) { throw fsError(e, dir, 'list folder'); }
}

/** A JSON file's value, or undefined when it is missing, empty or torn. */
function parseJson<T>(file: string): T | undefined {
  try { return JSON.parse(readText(file)) as T; } catch { return undefined; }
}

/** A plan (JSON) without its statements' source ranges, or undefined when it does not parse. */
function withoutRanges(text: string): { steps?: unknown[] } & Record<string, unknown> | undefined {
  try { return JSON.parse(text, (k, v) => (k === 'range' || k === 'ranges' ? undefined : v)); } catch { return undefined; }
}

/**
 * How many leading steps two plans share, source ranges aside (a comment added to a recipe moves them), when
 * everything else (model, data, target, scopes, teachers) is the same; undefined when something else differs. A step's result depends on those and on the steps before it
 * only, so the shared steps of an earlier run stand.
 */
export function commonSteps(a: string, b: string): number | undefined {
  const [x, y] = [withoutRanges(a), withoutRanges(b)];
  if (!x || !y) return undefined;
  const [xs, ys] = [x.steps ?? [], y.steps ?? []];
  if (JSON.stringify({ ...x, steps: [] }) !== JSON.stringify({ ...y, steps: [] })) return undefined;
  let k = 0;
  while (k < xs.length && k < ys.length && JSON.stringify(xs[k]) === JSON.stringify(ys[k])) k++;
  return k;
}
