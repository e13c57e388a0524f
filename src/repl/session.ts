// A REPL session: the statements typed so far form a recipe, checked whole by the same checker as `lithe
// check`; each new step runs at once on the model in memory through the same pass plugins and context as
// `lithe run` (run/run.ts runEnv, stepContext). The accepted statements are the recipe `.recipe` writes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ModelProto } from 'onnx-buf';
import { checkText } from '../plan/build.ts';
import type { Plan, PlanStep } from '../plan/types.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { line, withCarets } from '../diagnostics/render.ts';
import { passByName } from '../passes/registry.ts';
import { unrunnable } from '../passes/runnable.ts';
import { planInputs } from '../plan/inputs.ts';
import { runEnv, stepContext, type RunEnv } from '../run/run.ts';
import { RunError, type Measures } from '../run/types.ts';
import type { Io } from '../cli/io.ts';
import { summary } from './summary.ts';

/** One accepted entry: its text (a statement, or several on one entry) and the steps it added. */
interface Entry { text: string; steps: number }
/** A model of the session: the input, then one after each step. */
export interface Stage { label: string; model: ModelProto; measures: Measures }

export interface SessionOptions {
  io: Io;
  /** Where relative paths in statements start, as they would from a recipe in this folder. */
  cwd: string;
  threads: number;
  /** Statements every session starts with (`model "..."`, `target ...` from the command line). */
  prelude: string[];
  /** Progress of a long step (util/progress.ts). */
  progress?: (line: string) => void;
  stopRequested?: () => boolean;
}

export class Session {
  entries: Entry[] = [];
  stages: Stage[] = [];
  plan: Plan | undefined;
  /** Set by .exit. */
  ended = false;
  private env: RunEnv | undefined;
  private envKey = '';
  private known = new Set<string>();
  private seq = 0;
  private readonly work = mkdtempSync(join(tmpdir(), 'lithe-repl-'));
  /** The file name statements are checked under: relative paths resolve from `cwd`. Never written. */
  readonly file: string;

  constructor(readonly opts: SessionOptions) {
    this.file = join(resolve(opts.cwd), 'repl.cmp');
  }

  /** Applies the prelude; false when it does not check. */
  async start(): Promise<boolean> {
    for (const s of this.opts.prelude) if (!(await this.statement(s))) return false;
    return true;
  }

  get text(): string { return this.entries.map((e) => `${e.text}\n`).join(''); }
  current(): Stage | undefined { return this.stages.at(-1); }
  input(): Stage | undefined { return this.stages[0]; }

  /** Checks `text` as the next part of the recipe and runs the steps it adds. False when it was refused. */
  async statement(text: string): Promise<boolean> {
    const before = this.text;
    const offset = before.split('\n').length - 1;
    const r = checkText(this.file, `${before}${text}\n`, { forRun: true });
    const fresh = r.diagnostics.filter((d) => !this.known.has(keyOf(d)));
    for (const d of fresh) this.print(d, text, offset);
    if (!r.plan) return false;
    const added = r.plan.steps.slice(this.plan?.steps.length ?? 0);
    const blocked = unrunnable({ steps: added });
    if (blocked.length) throw new RunError(`this version of lithe cannot run it: ${blocked.join('; ')}`);
    const saved = { env: this.env, key: this.envKey };
    let stages: Stage[];
    let changed: boolean;
    try {
      ({ stages, changed } = await this.apply(r.plan, added));
    } catch (e) {
      // refused or failed: the session stays as it was, its data and teachers included
      ({ env: this.env, key: this.envKey } = saved);
      throw e;
    }
    this.entries.push({ text, steps: added.length });
    this.stages = stages;
    this.plan = r.plan;
    this.known = new Set(r.diagnostics.map(keyOf));
    if (changed) this.say(summary(`model ${this.modelName()}`, stages[0]!.measures, stages[0]!.measures));
    for (const s of stages.slice(stages.length - added.length)) this.say(summary(s.label, s.measures, stages[0]!.measures));
    return true;
  }

  /** The stages after `added` ran on the model in memory; `changed`: the declarations made a new input model. */
  private async apply(plan: Plan, added: PlanStep[]): Promise<{ stages: Stage[]; changed: boolean }> {
    const env = this.envFor(plan);
    const stages = [...this.stages];
    // the input model as these declarations make it (a zoo model is built for the data's classes)
    const input = env && (stages[0]?.model === env.input ? stages[0] : { label: 'input', model: env.input, measures: await env.measure(env.input, []) });
    const changed = !!input && input !== stages[0] && (!stages[0] || !same(input.measures, stages[0].measures));
    if (changed && stages.length > 1) {
      throw new RunError('this declaration changes the input model, and steps have run on the old one: declare it before the first step (.reset, or .undo back to there)');
    }
    if (input) stages[0] = input;
    if (added.length && !env) throw new RunError('no model yet: start with `lithe repl MODEL`, or type model "FILE.onnx" or model zoo:NAME');
    for (const step of added) stages.push(await this.run(plan, env!, step, stages.at(-1)!));
    return { stages, changed };
  }

  /** Forgets the last entry and the models its steps made. */
  undo(): string | undefined {
    const e = this.entries.pop();
    if (!e) return undefined;
    this.stages.splice(this.stages.length - e.steps, e.steps);
    this.recheck();
    return e.text;
  }

  /** Back to the prelude: the input model, no steps. */
  reset(): void {
    this.entries = this.entries.slice(0, this.opts.prelude.length);
    this.stages = this.stages.slice(0, 1);
    this.recheck();
  }

  /** Measures mAP or latency of the current model; the numbers stay with it until the next step. */
  async measure(what: 'map' | 'latency'): Promise<Stage> {
    const cur = this.current();
    if (!cur || !this.env) throw new RunError('no model yet: type model "FILE.onnx" or model zoo:NAME first');
    if (what === 'map' && this.env.noMap) throw new RunError(`mAP cannot be measured: ${this.env.noMap}`);
    const m = await this.env.measure(cur.model, [what]);
    cur.measures = { ...cur.measures, ...m };
    return cur;
  }

  environment(): RunEnv | undefined { return this.env; }

  close(): void { rmSync(this.work, { recursive: true, force: true }); }

  modelName(): string {
    const m = this.plan?.model;
    return m?.zoo ? `zoo:${m.zoo}` : m?.path ?? '(none)';
  }

  /** The run's input model, teachers and data for the plan's declarations; made again when they change. */
  private envFor(plan: Plan): RunEnv | undefined {
    if (!plan.model) return undefined;
    const key = JSON.stringify({ ...plan, steps: [], source: undefined });
    if (key !== this.envKey) {
      this.env = runEnv(plan, { threads: this.opts.threads, dataDir: join(this.opts.cwd, 'data'), say: (l) => this.opts.io.err(`${l}\n`) });
      this.envKey = key;
    }
    return this.env;
  }

  private async run(plan: Plan, env: RunEnv, step: PlanStep, last: Stage): Promise<Stage> {
    const guard = planInputs(plan, { dataDir: join(this.opts.cwd, 'data') });
    const ctx = stepContext(plan, env, step, {
      dir: join(this.work, `${++this.seq}-${step.pass}`), say: (l) => this.opts.io.err(`${l}\n`), progress: this.opts.progress,
      stopRequested: () => this.opts.stopRequested?.() ?? false, checkOutput: (path) => guard.check(path, `export (step ${step.index})`),
    });
    const outcome = await passByName.get(step.pass)!.run!(step, ctx, last.model);
    const measures = outcome.measures ?? (outcome.model === last.model ? last.measures : await env.measure(outcome.model, []));
    return { label: `${step.index}. ${step.pass}`, model: outcome.model, measures };
  }

  /** After an undo or reset: the plan and known diagnostics of what is left (it checked before, so it checks now). */
  private recheck(): void {
    const r = checkText(this.file, this.text, { forRun: true });
    this.plan = r.plan;
    this.known = new Set(r.diagnostics.map(keyOf));
    if (!this.plan?.model) this.stages = [];
  }

  private print(d: Diagnostic, text: string, offset: number): void {
    const mine = !d.file && d.range.start.line > offset;
    if (!mine) { this.opts.io.out(`${line(d, this.file)}\n`); return; }
    const shift = (p: Diagnostic['range']['start']) => ({ ...p, line: p.line - offset });
    const local = { ...d, range: { start: shift(d.range.start), end: shift(d.range.end) } };
    this.opts.io.out(`${withCarets(local, text)}\n`);
  }

  private say(text: string): void { this.opts.io.out(`${text}\n`); }
}

const same = (a: Measures, b: Measures): boolean => a.params === b.params && a.macs === b.macs && a.bytes === b.bytes;
const keyOf = (d: Diagnostic): string => `${d.file ?? ''}:${d.range.start.offset}:${d.code}:${d.message}`;
