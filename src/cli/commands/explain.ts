// lithe explain FILE [--json] [--target T] [--model M]: the resolved plan, or the problems that prevent one;
// with a model it can read (the recipe's or --model), also the model's head and what each scope holds in it.
import { existsSync } from 'node:fs';
import type { ModelProto } from 'onnx-buf';
import { checkText } from '../../plan/build.ts';
import { explain, type ModelFacts } from '../../plan/explain.ts';
import type { Plan } from '../../plan/types.ts';
import { line } from '../../diagnostics/render.ts';
import { LitheError } from '../../errors.ts';
import { headFor, type HeadSpec } from '../../metrics/decode/head.ts';
import { headText, noHeadMessage } from '../../metrics/decode/describe.ts';
import { loadModel } from '../../onnx/io.ts';
import { setMetadata } from '../../onnx/make.ts';
import { prepareModel } from '../../onnx/prepare/index.ts';
import { scopeListing, selectNames } from '../../run/scopes.ts';
import { distillPairs, type Side } from '../../passes/distill/pairs.ts';
import type { SelectorJson } from '../../plan/selector.ts';
import { zooByName } from '../../zoo/registry.ts';
import { exportLines } from '../../run/preflight.ts';
import { predictPlan } from '../../latency/steps.ts';
import { predictionLines } from '../../latency/describe.ts';
import { loadTarget } from '../../targets/load.ts';
import { EXIT, UsageError, type Io } from '../io.ts';
import { explainTargets } from './explain-targets.ts';
import { readRecipe } from '../read.ts';

/** The model as a run would take it in: a file prepared, a zoo model built at the recipe's size. */
function inputModel(plan: Plan & { head?: HeadSpec }): ModelProto | undefined {
  const ref = plan.model;
  if (ref?.path) return existsSync(ref.path) ? prepareModel(loadModel(ref.path), { input: plan.input, file: ref.path, head: plan.head }).model : undefined;
  const zoo = ref?.zoo ? zooByName.get(ref.zoo) : undefined;
  if (!zoo) return undefined;
  const m = zoo.build({ size: plan.input?.[0] ?? zoo.defaultSize, seed: 0 });
  setMetadata(m, 'lithe.profile', zoo.profile);
  return m;
}

/** What each distill step compares, shown as the input model names it (pruning keeps the names; a pruned
 *  student has fewer channels than shown), or why it cannot pair: the error a run would stop on. */
function distillLines(plan: Plan, model: ModelProto): Map<number, string[]> {
  const lines = new Map<number, string[]>();
  const side = (x: Side) => `'${x.value}' ${x.shape.slice(1).join('x')}`;
  for (const s of plan.steps.filter((x) => x.pass === 'distill')) {
    const from = String(s.params.from);
    const ref = plan.teachers[from];
    try {
      const teacher = ref ? inputModel({ ...plan, model: ref }) : from === 'teacher' ? model : undefined;
      if (!teacher) { lines.set(s.index, [`pairs   (the teacher '${from}' cannot be read here)`]); continue; }
      const at = s.params.at ? selectNames(plan, s.params.at as SelectorJson, model) : undefined;
      const p = distillPairs(model, teacher, at);
      lines.set(s.index, [
        `pairs   student ↔ teacher, as the input model names them${at ? '' : ' (each head\'s input)'}:`,
        ...p.features.map((f) => `  ${side(f.student)} ↔ ${side(f.teacher)}`),
        ...p.heads.map((h) => `  head ${side(h.student)} ↔ ${side(h.teacher)}`),
      ]);
    } catch (e) {
      if (!(e instanceof LitheError)) throw e;
      lines.set(s.index, [`pairs   none: ${e.message}`]);
    }
  }
  return lines;
}

/** What explain says of the model: `given`, the input model already loaded (the REPL's), else read here. */
export function modelFacts(plan: Plan, given?: ModelProto): ModelFacts | undefined {
  const name = plan.model?.zoo ? `zoo:${plan.model.zoo}` : plan.model?.path ?? '';
  try {
    const model = given ?? inputModel(plan);
    if (!model) return undefined;
    const head = headFor(model);
    const steps = new Map([...distillLines(plan, model), ...exportLines(plan, model)]);
    const targets = plan.target ? [loadTarget(plan.target.name)] : [];
    const p = predictionLines(predictPlan(plan, model, targets), targets.length);
    for (const [i, lines] of p.steps) steps.set(i, [...(steps.get(i) ?? []), ...lines]);
    return { name, head: head ? headText(head, model) : noHeadMessage(model, name), scopes: scopeListing(plan, model), steps, predicted: p.input };
  } catch (e) {
    if (!(e instanceof LitheError)) throw e;
    return { name, head: `(cannot read the model: ${e.message})`, scopes: [] };
  }
}

export function runExplain(file: string, flags: { json: boolean; target?: string | string[]; model?: string }, io: Io): number {
  const targets = typeof flags.target === 'string' ? [flags.target] : flags.target ?? [];
  if (targets.length > 1) return sideBySide(file, targets, flags, io);
  flags = { ...flags, target: targets[0] };
  const text = readRecipe(file);
  const { plan, diagnostics } = checkText(file, text, { target: targets[0], model: flags.model });
  for (const d of diagnostics) io.err(`${line(d, file)}\n`);
  if (!plan) {
    io.err(`${file}: no plan: fix the errors above\n`);
    return EXIT.problems;
  }
  io.out(flags.json ? `${JSON.stringify(plan, null, 2)}\n` : explain(plan, modelFacts(plan)));
  return EXIT.ok;
}

/** --target a --target b: one plan per target, side by side (explain-targets.ts). */
function sideBySide(file: string, targets: string[], flags: { json: boolean; model?: string }, io: Io): number {
  if (flags.json) throw new UsageError('--json takes one --target (a plan is for one target)');
  const text = readRecipe(file);
  const plans: Plan[] = [];
  for (const target of targets) {
    const { plan, diagnostics } = checkText(file, text, { target, model: flags.model });
    for (const d of diagnostics) io.err(`${target}: ${line(d, file)}\n`);
    if (!plan) { io.err(`${file}: no plan for target ${target}: fix the errors above\n`); return EXIT.problems; }
    plans.push(plan);
  }
  let model: ModelProto | undefined;
  try { model = inputModel(plans[0]!); } catch (e) { if (!(e instanceof LitheError)) throw e; io.err(`${file}: the model cannot be read, nothing predicted: ${e.message}\n`); }
  io.out(explainTargets(file, plans, model));
  return EXIT.ok;
}
