// Reverse-mode differentiation of a forward graph: from a scalar loss back to chosen values (the
// parameters, or any input), one gradient rule per node, visited in reverse order. Gradients that reach a
// value along several paths are summed. Only nodes on a path from a wanted value to the loss are visited,
// so frozen layers and post-processing cost nothing.
import type { NodeProto, TensorProto } from 'onnx-buf';
import { Attrs } from '../../onnx/attrs.ts';
import { Emitter } from './emit.ts';
import { gradRuleByOp } from './registry.ts';
import { AutodiffError, type GradContext, type GradOptions } from './types.ts';

export interface ForwardGraph {
  /** Nodes in topological order. */
  nodes: readonly NodeProto[];
  shape(value: string): number[];
  constant(value: string): number[] | undefined;
}

export interface Backward {
  nodes: NodeProto[];
  constants: TensorProto[];
  /** The gradient's value name for each wanted value the loss depends on. */
  grads: Map<string, string>;
}

/** Values computed from any of `from`: the ones that can carry a gradient. */
function downstream(nodes: readonly NodeProto[], from: readonly string[]): Set<string> {
  const live = new Set(from);
  for (const n of nodes) if (n.input.some((i) => live.has(i))) for (const o of n.output) if (o) live.add(o);
  return live;
}

export function buildBackward(fwd: ForwardGraph, loss: string, wrt: readonly string[], options: GradOptions = {}, prefix = 'grad:'): Backward {
  const emit = new Emitter(prefix);
  const live = downstream(fwd.nodes, wrt);
  if (!live.has(loss)) throw new AutodiffError(`the loss '${loss}' does not depend on any value being trained`);
  const pending = new Map<string, string[]>();
  const add = (value: string, g: string | undefined) => { if (g) (pending.get(value) ?? pending.set(value, []).get(value)!).push(g); };
  const total = (value: string): string | undefined => {
    const parts = pending.get(value);
    if (!parts?.length) return undefined;
    if (parts.length > 1) pending.set(value, [emit.op1('Sum', parts)]);
    return pending.get(value)![0];
  };
  add(loss, emit.op1('Expand', [emit.scalar(1), emit.ints(fwd.shape(loss))]));
  for (let k = fwd.nodes.length - 1; k >= 0; k--) {
    const node = fwd.nodes[k]!;
    if (!node.output.some((o) => pending.has(o))) continue;
    const rule = gradRuleByOp.get(node.opType);
    if (!rule) throw new AutodiffError(`node '${node.name}' (${node.opType}): no gradient rule for ${node.opType}, so the graph cannot be trained through it`);
    const dys = node.output.map((o) => (o ? total(o) : undefined));
    const ctx: GradContext = {
      node, attrs: new Attrs(node), emit, options,
      shape: fwd.shape, constant: fwd.constant,
      dy: (i = 0) => dys[i],
      wants: (i) => !!node.input[i] && live.has(node.input[i]!),
    };
    // a node whose first output gets no gradient but another does (Split) still needs dy(0) for most rules
    if (dys[0] === undefined && node.opType !== 'Split') continue;
    emit.owner = node.name;
    rule.grad(ctx).forEach((g, i) => { if (g && ctx.wants(i)) add(node.input[i]!, g); });
  }
  const grads = new Map<string, string>();
  for (const w of wrt) { const g = total(w); if (g) grads.set(w, g); }
  return { nodes: emit.nodes, constants: emit.constants, grads };
}
