// Selectors against a model at run time. Built-in scopes the recipe left to the model (`inferred` in the
// plan) come from the stdlib profile the model records (`lithe.profile`, written by the zoo and lithe train),
// so a recipe over a trained model file still prunes "backbone".
import type { ModelProto } from 'onnx-buf';
import { Graph } from '../onnx/graph.ts';
import { getMetadata } from '../onnx/make.ts';
import { select } from '../onnx/select.ts';
import { checkText } from '../plan/build.ts';
import { stdlibNames } from '../plan/sources.ts';
import type { SelectorJson } from '../plan/selector.ts';
import type { Plan, ScopeDef } from '../plan/types.ts';

const profiles = new Map<string, Record<string, ScopeDef>>();

function profileScopes(name: string): Record<string, ScopeDef> {
  let s = profiles.get(name);
  if (!s) profiles.set(name, (s = checkText(`stdlib/${name}.cmp`, `use stdlib ${name}\n`, {}).plan?.scopes ?? {}));
  return s;
}

/** The plan's scopes, with inferred built-ins filled from the model's profile when it records one. */
export function scopesFor(plan: Plan, model: ModelProto): Record<string, ScopeDef> {
  const profile = plan.profile ?? getMetadata(model, 'lithe.profile');
  if (!profile || !stdlibNames().includes(profile)) return plan.scopes;
  const fromProfile = profileScopes(profile);
  const out: Record<string, ScopeDef> = { ...plan.scopes };
  for (const [name, def] of Object.entries(plan.scopes)) if ('inferred' in def && fromProfile[name]) out[name] = fromProfile[name]!;
  return out;
}

export function selectNames(plan: Plan, selector: SelectorJson, model: ModelProto): Set<string> {
  return new Set([...select(selector, Graph.fromModel(model), scopesFor(plan, model))].map((n) => n.name));
}
