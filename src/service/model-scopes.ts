// What a scope holds in the recipe's model, for hover: how many layers it matches and their names, as
// `lithe explain` lists them. Loaded only when asked (it reads ONNX models), and cached by model file.
import { existsSync, statSync } from 'node:fs';
import type { ModelProto } from 'onnx-buf';
import { loadModel } from '../onnx/io.ts';
import { setMetadata } from '../onnx/make.ts';
import { prepareModel } from '../onnx/prepare/index.ts';
import { scopeListing, type ScopeListing } from '../run/scopes.ts';
import { zooByName } from '../zoo/registry.ts';
import type { Plan } from '../plan/types.ts';
import { LitheError } from '../errors.ts';
import { loadTarget } from '../targets/load.ts';
import { predictPlan, type PlanPrediction } from '../latency/steps.ts';
import { figuresText } from '../latency/describe.ts';

const models = new Map<string, ModelProto | string>();

/** The model as a run takes it in (a file prepared, a zoo model built at the recipe's size), or why not. */
function modelOf(plan: Plan): ModelProto | string | undefined {
  const ref = plan.model;
  const size = plan.input?.[0];
  if (ref?.path) {
    if (!existsSync(ref.path)) return undefined;
    const key = `${ref.path}\0${statSync(ref.path).mtimeMs}\0${plan.input?.join('x') ?? ''}`;
    return cached(key, () => prepareModel(loadModel(ref.path!), { input: plan.input, file: ref.path!, head: plan.head }).model);
  }
  const zoo = ref?.zoo ? zooByName.get(ref.zoo) : undefined;
  if (!zoo) return undefined;
  return cached(`zoo:${zoo.name}\0${size ?? ''}`, () => {
    const m = zoo.build({ size: size ?? zoo.defaultSize, seed: 0 });
    setMetadata(m, 'lithe.profile', zoo.profile);
    return m;
  });
}

function cached(key: string, make: () => ModelProto): ModelProto | string {
  let m = models.get(key);
  if (m === undefined) {
    try { m = make(); } catch (e) { if (!(e instanceof LitheError)) throw e; m = e.message; }
    models.set(key, m);
  }
  return m;
}

/** The scope `name` in the plan's model; a string says why the model cannot be read. */
export function scopeInModel(plan: Plan, name: string): ScopeListing | string | undefined {
  const model = modelOf(plan);
  if (typeof model !== 'object') return model;
  return scopeListing(plan, model).find((s) => s.name === name);
}

// One prediction per model, plan steps and target: hovering the steps of an unchanged recipe reuses it.
const predictions = new Map<string, PlanPrediction | string>();

/** What the step at `offset` is predicted to leave (params, MACs, size, latency on the recipe's target), in
 *  markdown; undefined when the model cannot be read or no step is there. */
export function stepPrediction(plan: Plan, offset: number): string | undefined {
  const step = plan.steps.find((s) => s.range.start.offset <= offset && offset < s.range.end.offset);
  const model = modelOf(plan);
  if (!step || typeof model !== 'object') return undefined;
  const key = JSON.stringify([plan.model, plan.input, plan.target?.name, plan.steps.map((s) => [s.pass, s.params])]);
  let p = predictions.get(key);
  if (p === undefined) {
    try {
      p = predictPlan(plan, model, plan.target ? [loadTarget(plan.target.name)] : []);
    } catch (e) {
      if (!(e instanceof LitheError)) throw e;
      p = e.message;
    }
    predictions.set(key, p);
  }
  if (typeof p === 'string') return `Predicted: none (${p})`;
  const i = p.steps.findIndex((s) => s.index === step.index);
  if (p.stopped?.index === step.index) return `Predicted: none (${p.stopped.why})`;
  if (i < 0) return undefined;
  return `Predicted after this step: ${figuresText(p.steps[i]!, i ? p.steps[i - 1] : p.input)}${plan.target ? '' : ' (no target: no latency)'}`;
}
