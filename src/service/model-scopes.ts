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
