// lithe run's engine: the plan's steps in order through the pass registry, each on the model the last one
// left. After every step the model, the state and the report (json, md, html) are written (atomically), so a run stopped at
// any point — Ctrl-C, a crash, a full disk — continues with `--resume` after the last finished step; a step
// that trains keeps its own checkpoint and continues mid-way. The input model is read, never written.
import { existsSync } from 'node:fs';
import type { ModelProto } from 'onnx-buf';
import { externalFilesOf, loadModel, upgradeNotesOf } from '../onnx/io.ts';
import { DEFAULT_OPSET, setMetadata } from '../onnx/make.ts';
import { prepareModel } from '../onnx/prepare/index.ts';
import { zooByName } from '../zoo/registry.ts';
import { zooInputProblem } from '../zoo/size.ts';
import { passByName } from '../passes/registry.ts';
import type { ModelRef, Plan, PlanStep } from '../plan/types.ts';
import { unrunnable } from '../passes/runnable.ts';
import { exportNotes, exportProblems } from './preflight.ts';
import { fixedBatch, inputSize } from '../metrics/evaluate-model.ts';
import { exportsRecorded, RunFolder, type RunState } from './folder.ts';
import { runData } from './data.ts';
import { loadTarget, type Target } from '../targets/load.ts';
import { measureModel } from './measure.ts';
import { selectNames } from './scopes.ts';
import { buildReport, reportMarkdown, type Report } from './report.ts';
import { reportHtml } from './html/page.ts';
import { RunError, StepClock, type RunContext, type RunData } from './types.ts';
import { checkExports } from './protect.ts';
import { noMapReason, requireMap } from './map.ts';
import { PREPROCESS_KEY, preprocessOf, preprocessRecord } from '../data/preprocess.ts';
import { planInputs } from '../plan/inputs.ts';
import type { InputGuard } from '../util/guard.ts';
import { cleanStaleTemps } from '../util/files.ts';

export interface RunOptions {
  out: string;
  resume?: boolean;
  threads?: number;
  /** Where progress lines go besides run.log (the terminal). */
  say?: (line: string) => void;
  /** The state of a long step, updated often (util/progress.ts throttles it); never written to run.log. */
  progress?: (line: string) => void;
  stopRequested?: () => boolean;
  /** Where `data synth` sets are generated and reused (default: data/). */
  dataDir?: string;
  /** The recipe file and the files it uses: read, never written. */
  recipe?: string;
  used?: ReadonlyMap<string, string>;
  /** Write over files lithe did not write (an export path that exists, a run folder with other files). */
  force?: boolean;
}

// which steps cannot execute is the passes' own metadata, which the checker reads too (CMP4012)
export { unrunnable } from '../passes/runnable.ts';

/** A model the recipe names: a file, prepared for the passes (onnx/prepare/; what changed is said in the
 *  log), or a zoo model built for the data set's classes (`classes`: 80, COCO's, without data). */
function modelOf(ref: ModelRef, plan: Plan, classes: () => number, say: (line: string) => void): ModelProto {
  if (ref.path) {
    if (!existsSync(ref.path)) throw new RunError(`${ref.path}: no such model file`);
    // loaded at the opset lithe writes: an old model (a deprecated Upsample) is upgraded rather than refused
    const loaded = loadModel(ref.path, { opset: DEFAULT_OPSET });
    const { model, notes } = prepareModel(loaded, { opset: DEFAULT_OPSET, input: plan.input, requireSize: true, file: ref.path, head: plan.head });
    for (const n of [...upgradeNotesOf(loaded).map((u) => `upgrade: ${u}`), ...notes]) say(`preparing ${ref.path}: ${n}`);
    return model;
  }
  const zoo = zooByName.get(ref.zoo!)!;
  const m = zoo.build({ size: plan.input?.[0] ?? zoo.defaultSize, classes: classes(), seed: 0 });
  setMetadata(m, 'lithe.profile', zoo.profile);
  return m;
}

function inputModel(plan: Plan, classes: () => number, say: (line: string) => void): ModelProto {
  if (!plan.model) throw new RunError('the recipe names no model: add `model "FILE.onnx"` or `model zoo:NAME`, or pass --model');
  return modelOf(plan.model, plan, classes, say);
}

/** Teachers by name, each loaded once: a declared one, or the input model as it was before the first step
 *  when the recipe says `teacher` and declares none (LANGUAGE.md). */
function teachers(plan: Plan, input: ModelProto, classes: () => number, say: (line: string) => void): (name: string) => ModelProto {
  const loaded = new Map<string, ModelProto>();
  return (name) => {
    const ref = plan.teachers[name];
    if (!ref) {
      if (name === 'teacher') return input;
      throw new RunError(`no teacher named '${name}' is declared`);
    }
    const hit = loaded.get(name) ?? modelOf(ref, plan, classes, say);
    loaded.set(name, hit);
    return hit;
  };
}

export async function runPlan(plan: Plan, opts: RunOptions): Promise<Report> {
  const problems = unrunnable(plan);
  if (problems.length) throw new RunError(problems.join('\n'));
  // a zoo model asked for at a size it cannot be built at stops the run before any data is generated
  const zoo = plan.model?.zoo ? zooByName.get(plan.model.zoo) : undefined;
  const badInput = zoo && plan.input && zooInputProblem(zoo, plan.input);
  if (badInput) throw new RunError(badInput);
  const dataDir = opts.dataDir ?? 'data';
  const guard = planInputs(plan, { recipe: opts.recipe, used: opts.used, dataDir });
  // before anything is written: an export over an input, or over a file this run did not write, stops here
  checkExports(plan, guard, exportsRecorded(opts.out), opts.force);
  const folder = new RunFolder(opts.out, { guard, force: opts.force });
  try {
    return await execute(plan, opts, folder, guard, dataDir);
  } finally {
    folder.release();
  }
}

async function execute(plan: Plan, opts: RunOptions, folder: RunFolder, guard: InputGuard, dataDir: string): Promise<Report> {
  const say = (line: string) => { folder.log(line); opts.say?.(line); };
  const planText = JSON.stringify(plan);
  const earlier = folder.state(planText, say);
  const keptSteps = (from: number) => (from > 2 ? `steps 1–${from - 1}` : from === 2 ? 'step 1' : 'its input\'s measures');
  if (earlier?.changedFrom && !opts.resume) throw new RunError(`${opts.out} holds a run of this plan with other statements from step ${earlier.changedFrom}: pass --resume to keep ${keptSteps(earlier.changedFrom)} and run the rest, or another --out`);
  if (earlier && !opts.resume) throw new RunError(`${opts.out} holds this plan's run already: pass --resume to continue it, or another --out`);
  if (!earlier) folder.clearSteps();
  if (earlier?.changedFrom) {
    say(`the plan changed from step ${earlier.changedFrom}: ${keptSteps(earlier.changedFrom)} ${earlier.changedFrom > 2 ? 'are' : 'is'} kept, the rest run again`);
    // the shortened state first: a run killed in between must not list a step whose files are gone
    folder.saveBefore({ plan: earlier.plan, before: earlier.before, steps: earlier.steps });
    folder.clearSteps(earlier.changedFrom);
  }
  cleanStaleTemps(dataDir);
  const threads = opts.threads ?? 2;
  const env = runEnv(plan, {
    threads, dataDir, say,
    inputs(input) {
      for (const f of externalFilesOf(input)) guard.file(f, 'the input model\'s external data');
      checkExports(plan, guard, exportsRecorded(opts.out), opts.force);
    },
  });
  requireMap(plan, env.noMap);
  if (env.noMap && plan.data) say(`mAP is not measured: ${env.noMap}`);
  const { input, measure } = env;
  const refused = exportProblems(plan, input);
  if (refused.length) throw new RunError(refused.join('\n'));
  if (!earlier) for (const note of exportNotes(plan, input)) say(note);
  folder.write('plan.json', `${JSON.stringify(plan, null, 2)}\n`);
  say(earlier ? `resuming after step ${earlier.steps.length}` : 'measuring the input model');
  let state = earlier && { plan: earlier.plan, before: earlier.before, steps: earlier.steps };
  if (!state) {
    state = { plan: planText, before: await measure(input), steps: [] };
    folder.saveBefore(state);
  }
  writeReport(folder, plan, state);
  let model = state.steps.length ? folder.readModel(state.steps.at(-1)!.model) : input;
  for (const step of plan.steps.slice(state.steps.length)) {
    if (opts.stopRequested?.()) throw new RunError(`stopped before step ${step.index}; lithe run --resume continues`);
    const ctx = stepContext(plan, env, step, {
      dir: folder.stepDir(step.index, step.pass), say, progress: (line) => opts.progress?.(line), stopRequested: () => opts.stopRequested?.() ?? false,
      checkOutput: (path) => { guard.check(path, `export (step ${step.index})`); folder.claim(path); },
    });
    model = await runStep(step, ctx, model, folder, state);
    writeReport(folder, plan, state);
  }
  say('done');
  return buildReport(plan, state);
}

/** What the steps of one plan share: its input model (prepared, its preprocessing recorded), teachers, data
 *  and measure. `lithe run` builds one per run, `lithe repl` one per set of declarations. */
export interface RunEnv {
  input: ModelProto;
  teacher: (name: string) => ModelProto;
  data: () => RunData;
  measure: RunContext['measure'];
  threads: number;
  /** Why mAP cannot be measured (no labels, no decodable head); absent when it can. */
  noMap?: string;
}

/** `inputs`: called once the input model is loaded, before any data is read or made (the run's guards). */
export function runEnv(plan: Plan, o: { threads: number; dataDir: string; say: (line: string) => void; inputs?: (input: ModelProto) => void }): RunEnv {
  const data = runData(plan.data, o.dataDir, o.say);
  // a zoo model is built for the data set's classes; unlabelled images have none: the recipe's head says, or COCO's 80
  const classes = () => (plan.data ? data().train.categories.length : 0) || plan.head?.classes || 80;
  const input = inputModel(plan, classes, o.say);
  const teacher = teachers(plan, input, classes, o.say);
  o.inputs?.(input);
  // every model of the run, exports included, says what input it takes (data ... mean/std/bgr/nhwc)
  setMetadata(input, PREPROCESS_KEY, JSON.stringify(preprocessRecord(preprocessOf(plan.data))));
  const noMap = noMapReason(plan, input, () => data().val);
  const preprocess = preprocessOf(plan.data);
  const predict = predictionTargets(plan);
  const measure: RunContext['measure'] = (model, what = ['map', 'latency']) => measureModel(model, { threads: o.threads, what, preprocess, say: o.say, predict, val: noMap ? undefined : () => data().val });
  return { input, teacher, data: batchedFor(input, data), measure, threads: o.threads, noMap };
}

/** The profiles whose latency models predict each measured model, for the report's predicted-against-measured
 *  chart: this machine's (x86, measured here) and the recipe's target; those without a latency model are left out. */
function predictionTargets(plan: Plan): Target[] {
  const names = [...new Set(['x86', ...(plan.target ? [plan.target.name] : [])])];
  return names.flatMap((n) => { try { const t = loadTarget(n); return t.latency ? [t] : []; } catch { return []; } });
}

/** The context a pass runs a step in: `dir` its own folder (checkpoints), `say` the log. */
export function stepContext(plan: Plan, env: RunEnv, step: PlanStep, o: {
  dir: string; say: (line: string) => void; progress?: (line: string) => void; stopRequested: () => boolean; checkOutput: (path: string) => void;
}): RunContext {
  return {
    plan, input: env.input, teacher: env.teacher, threads: env.threads, seed: 0, dir: o.dir,
    size: inputSize, select: (sel, m) => selectNames(plan, sel, m), data: env.data, measure: env.measure,
    log: (line) => o.say(`  ${step.pass}: ${line}`), progress: (line) => o.progress?.(`  ${step.pass}: ${line}`),
    stopRequested: o.stopRequested, checkOutput: o.checkOutput, clock: new StepClock(),
  };
}

async function runStep(step: PlanStep, ctx: RunContext, model: ModelProto, folder: RunFolder, state: RunState): Promise<ModelProto> {
  ctx.log(`step ${step.index} (line ${step.range.start.line}) starts`);
  const outcome = await passByName.get(step.pass)!.run!(step, ctx, model);
  const name = `${String(step.index).padStart(2, '0')}-${step.pass}.onnx`;
  folder.writeModel(name, outcome.model);
  // a step that returns its model unchanged (export) keeps the numbers of the model it was given
  const last = state.steps.at(-1)?.measures ?? state.before;
  const measures = outcome.measures ?? (outcome.model === model ? last : await ctx.measure(outcome.model));
  const record = { index: step.index, pass: step.pass, model: name, seconds: ctx.clock.elapsed(), measures, details: outcome.details };
  state.steps.push(record);
  folder.saveStep(state, record);
  ctx.log(`step ${step.index} done in ${record.seconds.toFixed(0)} s`);
  return outcome.model;
}

/** The run's data, its calibration batches at the batch a model fixes (a batch of 1 that preparation could
 *  not free: onnxruntime refuses any other). */
function batchedFor(model: ModelProto, data: () => RunData): () => RunData {
  const fixed = fixedBatch(model);
  if (fixed === undefined) return data;
  return () => {
    const d = data();
    return { get train() { return d.train; }, get val() { return d.val; }, calibration: (count, size) => d.calibration(count, size, fixed) };
  };
}

function writeReport(folder: RunFolder, plan: Plan, state: RunState): void {
  const r = buildReport(plan, state);
  folder.write('report.json', `${JSON.stringify(r, null, 2)}\n`);
  folder.write('report.md', `${reportMarkdown(r)}\n`);
  folder.write('report.html', reportHtml(r));
}
