// Selectors against a model at run time. Built-in scopes the recipe left to the model (`inferred` in the
// plan) come from the stdlib profile the model records (`lithe.profile`, written by the zoo and lithe train),
// so a recipe over a trained model file still prunes "backbone"; a model with no profile has them inferred
// from its graph (infer-scopes.ts: head, neck, backbone by documented rules).
import type { ModelProto } from 'onnx-buf';
import { Graph } from '../onnx/graph.ts';
import { getMetadata } from '../onnx/make.ts';
import { select } from '../onnx/select.ts';
import { checkText } from '../plan/build.ts';
import { stdlibNames } from '../plan/sources.ts';
import type { SelectorJson } from '../plan/selector.ts';
import type { Plan, ScopeDef } from '../plan/types.ts';
import { inferScopes, namesSelector, type InferredScopes } from './infer-scopes.ts';

const profiles = new Map<string, Record<string, ScopeDef>>();

export function profileScopes(name: string): Record<string, ScopeDef> {
  let s = profiles.get(name);
  if (!s) profiles.set(name, (s = checkText(`stdlib/${name}.cmp`, `use stdlib ${name}\n`, {}).plan?.scopes ?? {}));
  return s;
}

/** The stdlib profile that defines a model's built-in scopes: the plan's, else the one the model records. */
export function profileOf(plan: Pick<Plan, 'profile'>, model: ModelProto): string | undefined {
  const profile = plan.profile ?? getMetadata(model, 'lithe.profile');
  return profile && stdlibNames().includes(profile) ? profile : undefined;
}

export const INFERRED_FROM = 'inferred from the graph';

/** The plan's scopes, with inferred built-ins filled from the model's profile, or else from its graph. */
export function scopesFor(plan: Plan, model: ModelProto): Record<string, ScopeDef> {
  const profile = profileOf(plan, model);
  const fromProfile = profile ? profileScopes(profile) : {};
  let fromGraph: InferredScopes | undefined;
  const out: Record<string, ScopeDef> = { ...plan.scopes };
  for (const [name, def] of Object.entries(plan.scopes)) {
    if (!('inferred' in def)) continue;
    if (fromProfile[name]) out[name] = fromProfile[name]!;
    else if (name === 'backbone' || name === 'neck' || name === 'head') {
      fromGraph ??= inferScopes(model);
      out[name] = { selector: namesSelector(fromGraph[name]), from: INFERRED_FROM };
    }
  }
  return out;
}

export function selectNames(plan: Plan, selector: SelectorJson, model: ModelProto): Set<string> {
  return new Set([...select(selector, Graph.fromModel(model), scopesFor(plan, model))].map((n) => n.name));
}

/** What `lithe explain` shows of a scope in a model: where its definition came from, its nodes, its layers. */
export interface ScopeListing { name: string; from: string; nodes: number; layers: string[] }

const LAYERS = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);

/** Every scope of the plan except `all`, resolved in `model`: what went where. */
export function scopeListing(plan: Plan, model: ModelProto): ScopeListing[] {
  const scopes = scopesFor(plan, model);
  const g = Graph.fromModel(model);
  return Object.entries(scopes).filter(([name]) => name !== 'all').map(([name, def]) => {
    if ('inferred' in def) return { name, from: 'not defined for this model', nodes: 0, layers: [] };
    const nodes = [...select({ scope: name }, g, scopes)];
    return { name, from: def.from, nodes: nodes.length, layers: nodes.filter((n) => LAYERS.has(n.opType)).map((n) => n.name) };
  });
}
