// Opset upgrade: a model of an older default-domain opset (7 to 12) rewritten to mean the same at a newer one,
// up to 13, the opset lithe writes — what onnx's version_converter does, for the ops detectors and ONNX's
// node tests use. A node whose op's definition is the same at both opsets stays as it is; one whose
// definition changed goes through its op's rule (registry.ts); an op no rule knows stops the upgrade with an
// error naming the node, never a model that silently computes something else. Subgraphs (If, Loop, Scan
// bodies) are upgraded too. The model given is not modified; the upgraded one is verified at its new opset.
import type { GraphProto, ModelProto, NodeProto, TensorProto } from 'onnx-buf';
import { Graph } from '../graph.ts';
import { inferShapes } from '../shape/infer.ts';
import { schemaAt } from '../schema/table.ts';
import { isDefaultDomain } from '../verify/rules/ops.ts';
import { defaultOpset, IR_OF_OPSET, MIN_OPSET } from '../versions.ts';
import { verifyModel } from '../verify.ts';
import { cloneSharingBytes } from './clone.ts';
import { upgradeRuleByOp } from './registry.ts';
import { namesOf, Scope } from './scope.ts';
import { UpgradeError, type UpgradeContext } from './types.ts';

export { UpgradeError };

/** The newest opset lithe upgrades to (make.ts DEFAULT_OPSET): past it, ops change again (ReduceMean's axes at 18). */
export const UPGRADE_MAX = 13;

interface Run { from: number; to: number; names: Set<string>; read: Set<string>; counts: Map<string, number>; file: string }

/** `model` at default-domain opset `to`, with a line per kind of change; the model itself when it is at
 *  `to` or newer already, or imports no ONNX opset. */
export function upgradeModel(model: ModelProto, to: number, file = 'the model'): { model: ModelProto; notes: string[] } {
  const from = defaultOpset(model);
  if (from === undefined || from >= to) return { model, notes: [] };
  if (to > UPGRADE_MAX) throw new UpgradeError(`${file}: lithe upgrades models to opset ${UPGRADE_MAX} at most, not ${to}`);
  if (from < MIN_OPSET) throw new UpgradeError(`${file}: opset ${from} is older than ${MIN_OPSET}, the oldest lithe upgrades`);
  const m = cloneSharingBytes(model);
  const run: Run = { from, to, ...namesOf(m.graph!), counts: new Map(), file };
  upgradeGraph(m.graph!, new Scope(m.graph!, undefined, inferShapes(Graph.fromModel(m), from).types), run);
  for (const o of m.opsetImport) if (isDefaultDomain(o.domain)) o.version = BigInt(to);
  m.irVersion = BigInt(Math.max(Number(m.irVersion), IR_OF_OPSET[to] ?? 0));
  const problems = verifyModel(m, to);
  if (problems.length) {
    throw new UpgradeError(`${file}: the model upgraded to opset ${to} does not verify (a bug in lithe's upgrade): ${problems.slice(0, 3).map((p) => p.message).join('; ')}`);
  }
  const notes = [`opset ${from} → ${to}`, ...[...run.counts].map(([op, k]) => `${k} ${op} ${k === 1 ? 'node' : 'nodes'}: ${upgradeRuleByOp.get(op)!.summary}`)];
  return { model: m, notes };
}

function upgradeGraph(g: GraphProto, scope: Scope, run: Run): void {
  const added: TensorProto[] = [];
  g.node = g.node.flatMap((n) => {
    for (const a of n.attribute) for (const sub of a.g ? [a.g, ...a.graphs] : a.graphs) upgradeGraph(sub, new Scope(sub, scope), run);
    return upgradeNode(n, context(n, scope, run, added), run);
  });
  g.initializer.push(...added);
}

function upgradeNode(n: NodeProto, ctx: UpgradeContext, run: Run): NodeProto[] {
  if (!isDefaultDomain(n.domain)) return [n];
  const [before, after] = [schemaAt(n.opType, run.from), schemaAt(n.opType, run.to)];
  if (!before || !after || (before.since === after.since && !after.deprecated)) return [n];
  const rule = upgradeRuleByOp.get(n.opType);
  if (!rule) ctx.fail(`lithe has no upgrade rule for ${n.opType}, whose definition changed at opset ${after.since}`);
  const op = n.opType;
  const out = rule.upgrade(n, ctx);
  if (!out) return [n];
  run.counts.set(op, (run.counts.get(op) ?? 0) + 1);
  return out;
}

function context(n: NodeProto, scope: Scope, run: Run, added: TensorProto[]): UpgradeContext {
  const fresh = (base: string): string => {
    let name = base;
    for (let i = 1; run.names.has(name); i++) name = `${base}_${i}`;
    run.names.add(name);
    return name;
  };
  const at = n.name ? `node '${n.name}' (${n.opType})` : `the ${n.opType} node writing '${n.output[0] ?? ''}'`;
  return {
    from: run.from, to: run.to, at, fresh,
    crosses: (opset) => run.from < opset && opset <= run.to,
    constant: (v) => scope.constant(v),
    type: (v) => scope.type(v),
    read: (v) => run.read.has(v),
    add(base, make) {
      const t = make(fresh(base));
      added.push(t);
      return t.name;
    },
    fail(why): never {
      throw new UpgradeError(`${run.file}: ${at}: cannot upgrade from opset ${run.from} to ${run.to}: ${why}`);
    },
  };
}
