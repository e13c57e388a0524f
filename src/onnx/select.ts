// Selectors (plan JSON) against a graph: the nodes a scope or a `keep` names. Globs match node names
// (`*` any run, `?` one character, `[0-9]` a class); `op NAME` matches op types; scopes resolve through
// the plan's scope table.
import type { NodeProto } from 'onnx-buf';
import type { Graph } from './graph.ts';
import type { SelectorJson } from '../plan/selector.ts';
import type { ScopeDef } from '../plan/types.ts';
import { LitheError } from '../errors.ts';

export class SelectError extends LitheError {
  override name = 'SelectError';
}

const globCache = new Map<string, RegExp>();

export function globRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (!re) {
    const body = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    globCache.set(glob, (re = new RegExp(`^${body}$`)));
  }
  return re;
}

export function select(sel: SelectorJson, g: Graph, scopes: Record<string, ScopeDef>): Set<NodeProto> {
  if ('glob' in sel) return new Set(g.nodes.filter((n) => globRegExp(sel.glob).test(n.name)));
  if ('op' in sel) return new Set(g.nodes.filter((n) => n.opType === sel.op));
  if ('union' in sel) return new Set(sel.union.flatMap((s) => [...select(s, g, scopes)]));
  if ('except' in sel) {
    const minus = select(sel.except[1], g, scopes);
    return new Set([...select(sel.except[0], g, scopes)].filter((n) => !minus.has(n)));
  }
  const def = scopes[sel.scope];
  if (!def) throw new SelectError(`unknown scope '${sel.scope}'`);
  if ('inferred' in def) throw new SelectError(`scope '${sel.scope}' has no profile for this model, and inferring it from the graph is not implemented yet`);
  return select(def.selector, g, scopes);
}
